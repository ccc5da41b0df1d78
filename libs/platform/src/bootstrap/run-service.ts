import { INestApplication, Logger, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { ServiceName } from '@hotline/contracts';
import { ConfigurationError, DEFAULT_PORTS, loadEnvironment, ServiceEnvironment } from '../config/service-environment';
import { migrateServiceSchema, ServiceDatabase, serviceDataSourceOptions } from '../database/service-database';
import { ApiExceptionFilter, createValidationPipe, jsonBody } from '../http/api-errors';
import { isDependencyUnavailable } from '../http/dependency-unavailable';
import { backoffDelay, sleep } from '../resilience/backoff';
import { withLogContext } from '../logging/log-context';
import { waitForDatabase } from './wait-for-database';
import { StructuredLogger } from '../logging/structured-logger';
import { httpMetrics } from '../telemetry/http-metrics';
import { httpTracing, startTracing } from '../tracing/tracing';
import { Telemetry } from '../telemetry/telemetry';

/** SIGTERM from the orchestrator, SIGINT from a terminal, SIGHUP when that terminal goes. */
export const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'];

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
  /** False for an app without the platform module (a feature test's): no HTTP metrics then. */
  withTelemetry?: boolean;
  /** The metrics' route label of a request Nest does not route (the gateway's forwarding). */
  routeLabel?: (req: Request) => string | undefined;
  /** Middleware of the service's own, installed before its routes. */
  configure?: (app: INestApplication, env: ServiceEnvironment) => void;
}

/**
 * A service's entry point. `main.ts migrate` runs the schema's migrations and exits, as does
 * any command of the service's own; with no argument the HTTP server starts.
 */
export async function runService(options: RunServiceOptions): Promise<void> {
  const logger = new Logger(options.service);
  try {
    const env = loadEnvironment(options.environment ?? ServiceEnvironment);
    Logger.overrideLogger(structuredLogger(options.service, env));
    startTracing(options.service, {
      exporter: env.OTEL_TRACES_EXPORTER,
      otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT,
      batchDelayMs: env.OTEL_BSP_SCHEDULE_DELAY,
    });
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
    const port = env.PORT ?? DEFAULT_PORTS[options.service];
    let bound = port;
    for (let attempt = 1; ; attempt += 1) {
      if (options.database) await waitForDatabase(env.DATABASE_URL, { port, host: env.HOST }, logger);
      let app: INestApplication | undefined;
      try {
        app = await createServiceApp(options, env);
        // Idle keep-alive connections are closed by the client (gateway, load balancer), never by
        // us first: a server closing a socket the client is just reusing fails that request.
        const server = app.getHttpServer() as import('node:http').Server;
        server.keepAliveTimeout = 65_000;
        server.headersTimeout = 66_000;
        await app.listen(port, env.HOST);
        bound = (server.address() as import('node:net').AddressInfo | null)?.port ?? port;
        break;
      } catch (err) {
        // The database (or Redis) went away between the wait and the start (a restart, a
        // failover): start again once it answers, rather than exit and be restarted in a loop.
        if (!isDependencyUnavailable(err)) throw err;
        logger.warn(`${options.service}: a dependency went away while starting (${(err as Error).message}); starting again (attempt ${attempt})`);
        await app?.close().catch(() => undefined);
        await sleep(backoffDelay(attempt, 500, 10_000));
      }
    }
    // SIGUSR2's default would end the process at once: a profiler's or an operator's report
    // request must not take the service down (SHUTDOWN_SIGNALS are the ones that stop it).
    process.on('SIGUSR2', () => logger.log('SIGUSR2 received: ignored (SIGTERM stops the service)'));
    logger.log(`${options.service} listening on http://${env.HOST}:${bound}`);
  } catch (err) {
    if (err instanceof ConfigurationError) logger.error(err.message);
    else logger.error(`${options.service} failed to start: ${(err as Error)?.stack ?? err}`);
    process.exitCode = 1;
    setTimeout(() => process.exit(1), 100).unref();
  }
}

/** One logger per process and service: pino, JSON lines or (in development) readable ones. */
const loggers = new Map<string, StructuredLogger>();
function structuredLogger(service: string, env: ServiceEnvironment): StructuredLogger {
  const format = env.LOG_FORMAT ?? (env.NODE_ENV === 'development' ? 'pretty' : 'json');
  const key = `${service}/${env.LOG_LEVEL}/${format}`;
  let logger = loggers.get(key);
  if (!logger) loggers.set(key, (logger = new StructuredLogger(service, env.LOG_LEVEL, format)));
  return logger;
}

/** Every request's log lines carry its id (the caller's X-Request-Id, or a new one), echoed back. */
function requestContext(req: Request, res: Response, next: NextFunction): void {
  const given = req.headers['x-request-id'];
  const requestId = typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
  req.headers['x-request-id'] = requestId; // the gateway forwards it: one id across services
  res.setHeader('x-request-id', requestId);
  withLogContext({ requestId }, next);
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
    bufferLogs: false,
    bodyParser: false,
    // Errors reach runService's catch (and a log line) rather than Nest exiting the process itself.
    abortOnError: false,
    logger: structuredLogger(options.service, env),
  });
  app.use(httpTracing);
  app.use(requestContext);
  // Security headers on every answer (no API response is meant to be framed or sniffed). No
  // upgrade-insecure-requests: the console is served over plain HTTP inside a bureau's network,
  // where the browser rewriting every request to https would break it.
  app.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));
  const telemetry = options.withTelemetry === false ? undefined : telemetryOf(app);
  if (telemetry) app.use(httpMetrics(telemetry, options.routeLabel));
  if (options.parseJson !== false) app.use(jsonBody(options.bodyLimit ?? '256kb'));
  options.configure?.(app, env);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ApiExceptionFilter());
  // The signals that mean "stop" (Nest's default list also has SIGUSR2: see runService).
  app.enableShutdownHooks(SHUTDOWN_SIGNALS);
  return app;
}
