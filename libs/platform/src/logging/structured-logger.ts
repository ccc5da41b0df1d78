import { LoggerService } from '@nestjs/common';
import pino, { Logger as Pino } from 'pino';
import { currentLogContext } from './log-context';

export type LogFormat = 'json' | 'pretty';
type NestLevel = 'error' | 'warn' | 'log' | 'debug' | 'verbose';

const PINO_LEVELS: Record<NestLevel, pino.Level> = { error: 'error', warn: 'warn', log: 'info', debug: 'debug', verbose: 'trace' };

/**
 * Keys that could carry personal data are never written, wherever they appear in a logged
 * object (callers' names, phone and ID numbers, contents, tokens, passwords).
 */
const REDACTED = ['name', 'phone', 'idNumber', 'caller', 'content', 'password', 'token', 'accessToken', 'refreshToken', 'authorization'];

/**
 * The services' logger: pino, one JSON object a line with service, level, time, message,
 * the Nest context, and the request's or event's fields (ticket id and number, event id,
 * correlation id); readable coloured lines with `pretty` (npm start).
 */
export class StructuredLogger implements LoggerService {
  readonly pino: Pino;

  constructor(service: string, level: NestLevel, format: LogFormat, destination?: pino.DestinationStream) {
    const options: pino.LoggerOptions = {
      level: PINO_LEVELS[level],
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      mixin: () => ({ ...currentLogContext() }),
      redact: { paths: [...REDACTED, ...REDACTED.map((k) => `*.${k}`)], censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    };
    this.pino = pino(options, destination ?? (format === 'pretty' ? prettyStream() : pino.destination({ sync: true })));
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    // Nest passes (message, stack, context) for errors.
    const [stack, context] = rest.length >= 2 ? rest : [undefined, rest[0]];
    this.write('error', message, [context], typeof stack === 'string' ? stack : undefined);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  private write(level: pino.Level, message: unknown, rest: unknown[], stack?: string): void {
    const context = typeof rest.at(-1) === 'string' ? (rest.at(-1) as string) : undefined;
    const fields: Record<string, unknown> = {};
    if (context) fields.context = context;
    if (stack) fields.stack = stack;
    if (message instanceof Error) {
      fields.err = message;
      this.pino[level](fields, message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.pino[level]({ ...fields, ...(message as object) });
    } else {
      this.pino[level](fields, String(message));
    }
  }
}

/** pino-pretty is a development tool: loaded only when asked for, absent from production images. */
function prettyStream(): pino.DestinationStream {
  const pretty = require('pino-pretty') as (options: object) => pino.DestinationStream;
  return pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service', sync: true, singleLine: true });
}
