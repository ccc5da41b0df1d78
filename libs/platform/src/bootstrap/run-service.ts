import { INestApplication, Logger, LogLevel, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Request } from 'express';
import helmet from 'helmet';
import { ServiceName } from '@hotline/contracts';
import { ConfigurationError, DEFAULT_PORTS, loadEnvironment, ServiceEnvironment } from '../config/service-environment';
import { migrateServiceSchema, ServiceDatabase, serviceDataSourceOptions } from '../database/service-database';
import { ApiExceptionFilter, createValidationPipe, jsonBody } from '../http/api-errors';
import { httpMetrics } from '../telemetry/http-metrics';
import { Telemetry } from '../telemetry/telemetry';

export interface RunServiceOptions {
  service: ServiceName;
  module: Type<unknown>;
  database?: ServiceDatabase;
  environment?: new () => ServiceEnvironment;
  bodyLimit?: string;
  /** False for a service that streams bodies on unparsed (the gateway). */
  parseJson?: boolean;
  /** Commands of the service's own (`main.ts <name>`), run instead of the server. */
  commands?: Record<string, () => Promise<void>>;
  /** The metrics' route label of a request Nest does not route (the gateway's forwarding). */
  routeLabel?: (req: Request) => string | undefined;
  /** Middleware of the service's own, installed before its routes. */
  configure?: (app: INestApplication, env: ServiceEnvironment) => void;
}

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/**
 * A service's entry point. `main.ts migrate` runs the schema's migrations and exits, as does
 * any command of the service's own; with no argument the HTTP server starts.
 */
export async function runService(options: RunServiceOptions): Promise<void> {
  const logger = new Logger(options.service);
  try {
    const env = loadEnvironment(options.environment ?? ServiceEnvironment);
    if (process.argv[2] === 'migrate') {
      if (!options.database) return;
      const ran = await migrateServiceSchema(serviceDataSourceOptions(options.service, env, options.database));
      logger.log(ran.length ? `migrated ${options.service}: ${ran.join(', ')}` : `${options.service} schema is up to date`);
      return;
    }
    const command = options.commands?.[process.argv[2]];
    if (command) {
      await command();
      return;
    }
    const app = await createServiceApp(options, env);
    const port = env.PORT ?? DEFAULT_PORTS[options.service];
    await app.listen(port, env.HOST);
    logger.log(`${options.service} listening on http://${env.HOST}:${port}`);
  } catch (err) {
    if (err instanceof ConfigurationError) logger.error(err.message);
    else logger.error(`${options.service} failed to start: ${(err as Error)?.stack ?? err}`);
    process.exitCode = 1;
    setTimeout(() => process.exit(1), 100).unref();
  }
}

/** The app's Telemetry, if its module has the platform's (a feature test's may not). */
function telemetryOf(app: INestApplication): Telemetry | undefined {
  try {
    return app.get(Telemetry, { strict: false });
  } catch {
    return undefined;
  }
}

export async function createServiceApp(
  options: RunServiceOptions,
  env: ServiceEnvironment,
): Promise<INestApplication> {
  const app = await NestFactory.create(options.module, {
    bodyParser: false,
    // Errors reach runService's catch (and a log line) rather than Nest exiting the process itself.
    abortOnError: false,
    logger: LEVELS.slice(0, LEVELS.indexOf(env.LOG_LEVEL) + 1),
  });
  // Security headers on every answer (no API response is meant to be framed or sniffed). No
  // upgrade-insecure-requests: the console is served over plain HTTP inside a bureau's network,
  // where the browser rewriting every request to https would break it.
  app.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));
  const telemetry = telemetryOf(app);
  if (telemetry) app.use(httpMetrics(telemetry, options.routeLabel));
  if (options.parseJson !== false) app.use(jsonBody(options.bodyLimit ?? '256kb'));
  options.configure?.(app, env);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ApiExceptionFilter());
  app.enableShutdownHooks();
  return app;
}
