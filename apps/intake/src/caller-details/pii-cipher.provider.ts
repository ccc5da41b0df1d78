import { Provider } from '@nestjs/common';
import { PiiCipher } from '@hotline/auth';
import { SERVICE_ENVIRONMENT } from '@hotline/platform';
import { IntakeEnvironment } from '../intake.environment';

export const PII_CIPHER = Symbol('PII_CIPHER');

export const piiCipherProvider: Provider = {
  provide: PII_CIPHER,
  inject: [SERVICE_ENVIRONMENT],
  useFactory: (env: IntakeEnvironment) => new PiiCipher(env.PII_KEYS),
};
