import { Matches, MinLength } from 'class-validator';
import { ServiceEnvironment } from '@hotline/platform';

export class IntakeEnvironment extends ServiceEnvironment {
  /** Key of the caller phone hash; must be the same for every intake replica. */
  @MinLength(16)
  CALLER_HASH_KEY = 'development-only-caller-hash-key';

  /**
   * Keys that encrypt callers' phone and ID numbers at rest: `v1:<base64 32 bytes>,v2:…`. The
   * last one encrypts; all decrypt. Adding a key and restarting re-encrypts the old rows.
   */
  @Matches(/^v\d+:[A-Za-z0-9+/=]{43,44}(,v\d+:[A-Za-z0-9+/=]{43,44})*$/, {
    message: 'must be a keyring like v1:<base64 of 32 bytes>[,v2:…]',
  })
  PII_KEYS = 'v1:ZGV2ZWxvcG1lbnQtb25seS1waWkta2V5LTMyYnl0ZXM=';

  override secretsRequiredInProduction(): string[] {
    return [...super.secretsRequiredInProduction(), 'CALLER_HASH_KEY', 'PII_KEYS'];
  }
}
