import {
  ArgumentsHost,
  BadRequestException,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
  ParseUUIDPipe,
  ValidationPipe,
} from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { json } from 'express';
import { isDependencyUnavailable } from './dependency-unavailable';
import { FieldError, fieldErrors } from './field-errors';

/** The error body of API.md: `{ statusCode, error, message: ["<field>: <what is wrong>", …] }`. */
export interface ApiError {
  statusCode: number;
  error: string;
  message: string[];
  /** For refused input: each field with its message in English and Chinese. */
  errors?: FieldError[];
}

/** What a 503 asks the client to wait before trying again. */
export const RETRY_AFTER_SECONDS = 5;

/** The most field errors one answer lists. */
export const MAX_FIELD_ERRORS = 20;

/** The deepest nesting of objects and arrays a JSON body may have (our deepest DTO needs 4). */
export const MAX_JSON_DEPTH = 32;

/**
 * How deep a JSON text nests, counted on the raw bytes before parsing, so a body of 10,000
 * nested arrays is refused before any recursive code (the parser, the validator) sees it.
 */
export function jsonDepthExceeds(body: Buffer, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i += 1) {
    const c = body[i];
    if (inString) {
      if (c === 0x5c) i += 1; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth += 1;
      if (depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth -= 1;
  }
  return false;
}

/**
 * Validation at every edge: unknown fields are refused (not silently dropped), values are
 * converted only where the DTO says so, and every problem is named with its field.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    stopAtFirstError: true, // one clear message per field
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const all = fieldErrors(errors);
      // A body of 100,000 wrong elements must not earn an answer of 20 MB: the first problems
      // name what to fix, and a last line says how many more there are.
      const fields = all.slice(0, MAX_FIELD_ERRORS);
      if (all.length > MAX_FIELD_ERRORS) {
        const more = all.length - MAX_FIELD_ERRORS;
        fields.push({ field: 'body', code: 'tooManyErrors', message: `body: ${more} more problems not listed`, messageZh: `另有${more}处问题未列出` });
      }
      return new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: fields.map((f) => f.message),
        errors: fields,
      } satisfies ApiError);
    },
  });
}

/** Turns every exception into the API error shape; anything unexpected is a logged 500 without detail. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const req = host.switchToHttp().getRequest<Request>();
    const body = toApiError(exception);
    if (body.statusCode === 503) {
      this.logger.warn(`${req.method} ${req.path} answered 503: ${(exception as Error)?.message ?? String(exception)}`);
      if (!res.headersSent) res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    } else if (body.statusCode >= 500) {
      this.logger.error(`${req.method} ${req.path} failed: ${(exception as Error)?.stack ?? String(exception)}`);
    }
    if (!res.headersSent) res.status(body.statusCode).json(body);
  }
}

export function toApiError(exception: unknown): ApiError {
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    const message =
      typeof response === 'string'
        ? [response]
        : Array.isArray((response as { message?: unknown }).message)
          ? ((response as { message: string[] }).message)
          : [String((response as { message?: unknown }).message ?? exception.message)];
    const errors = (response as { errors?: FieldError[] }).errors;
    return { statusCode: status, error: httpErrorName(status), message, ...(errors ? { errors } : {}) };
  }
  if (isDependencyUnavailable(exception)) {
    // The request did not complete (its transaction never committed, short of a break during COMMIT itself): try again.
    return { statusCode: 503, error: 'Service Unavailable', message: ['service: temporarily unavailable (its database or cache cannot be reached); try again shortly'] };
  }
  return { statusCode: 500, error: 'Internal Server Error', message: ['internal error'] };
}

function httpErrorName(status: number): string {
  const name = HttpStatus[status];
  return name
    ? name
        .toLowerCase()
        .split('_')
        .map((w) => w[0].toUpperCase() + w.slice(1))
        .join(' ')
    : 'Error';
}

/**
 * JSON body parsing with our own error answers: a malformed body, a wrong content type or an
 * oversized body gets a clear 4xx instead of the framework's HTML page.
 */
export function jsonBody(limit: string) {
  const parse = json({
    limit,
    strict: true,
    verify: (_req, _res, buf) => {
      if (jsonDepthExceeds(buf, MAX_JSON_DEPTH)) {
        throw Object.assign(new Error(`nested deeper than ${MAX_JSON_DEPTH} levels`), { status: 400, type: 'entity.too.deep' });
      }
    },
  });
  return (req: Request, res: Response, next: NextFunction) => {
    const hasBody = req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0'
      || req.headers['transfer-encoding'] !== undefined;
    if (hasBody && ['POST', 'PUT', 'PATCH'].includes(req.method) && !req.is('application/json')) {
      res.status(415).json({
        statusCode: 415,
        error: 'Unsupported Media Type',
        message: ['body: must be sent as application/json'],
      } satisfies ApiError);
      return;
    }
    parse(req, res, (err?: { type?: string; status?: number; message?: string }) => {
      if (!err) return next();
      const status = err.status && err.status >= 400 && err.status < 500 ? err.status : 400;
      const message =
        err.type === 'entity.too.large'
          ? `body: larger than the limit of ${limit}`
          : err.type === 'entity.parse.failed'
            ? 'body: is not valid JSON'
            : `body: ${err.message ?? 'could not be read'}`;
      res.status(status).json({ statusCode: status, error: httpErrorName(status), message: [message] } satisfies ApiError);
    });
  };
}

/** A path parameter that must be a UUID, refused with the field's name when it is not. */
export function uuidParam(field = 'id'): ParseUUIDPipe {
  return new ParseUUIDPipe({
    exceptionFactory: () =>
      new BadRequestException({ statusCode: 400, error: 'Bad Request', message: [`${field}: must be a UUID`] }),
  });
}
