import path from 'node:path';
import { IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { ServiceEnvironment } from '@hotline/platform';

const URL_RULE = { message: 'must be an http(s) URL' };

/** The gateway's settings: where the services are, token lifetimes, login protection, the console origin. */
export class GatewayEnvironment extends ServiceEnvironment {
  @Matches(/^https?:\/\/\S+$/, URL_RULE)
  INTAKE_URL = 'http://127.0.0.1:3001';

  @Matches(/^https?:\/\/\S+$/, URL_RULE)
  ASSIGNMENT_URL = 'http://127.0.0.1:3002';

  @Matches(/^https?:\/\/\S+$/, URL_RULE)
  SUPERVISION_URL = 'http://127.0.0.1:3003';

  @Matches(/^https?:\/\/\S+$/, URL_RULE)
  METRICS_URL = 'http://127.0.0.1:3004';

  /** The web console's origin: the only one CORS lets call the API from a browser. */
  @Matches(/^https?:\/\/[^\s/]+$/, { message: 'must be an origin like http://host:port' })
  CONSOLE_ORIGIN = 'http://127.0.0.1:3000';

  /** The built web console (`vite build` of apps/console), served at `/`. */
  @IsString()
  CONSOLE_DIR = path.resolve(process.cwd(), 'dist/apps/console');

  @IsInt()
  @Min(60)
  @Max(3600)
  ACCESS_TOKEN_TTL_SECONDS: number = 900;

  @IsInt()
  @Min(300)
  @Max(7 * 24 * 3600)
  REFRESH_TOKEN_TTL_SECONDS: number = 12 * 3600;

  /** Failed logins in a row before an account is locked, and for how long. */
  @IsInt()
  @Min(3)
  @Max(20)
  LOGIN_MAX_FAILURES: number = 5;

  @IsInt()
  @Min(1)
  @Max(24 * 60)
  LOGIN_LOCK_MINUTES: number = 15;

  /** Failed logins from one address within the lock window before the address is refused. */
  @IsInt()
  @Min(5)
  @Max(1000)
  ADDRESS_MAX_FAILURES: number = 20;
}
