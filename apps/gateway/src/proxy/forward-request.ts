import { request as httpRequest, IncomingHttpHeaders } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { ApiError, toApiError, traceHeaders } from '@hotline/platform';
import { findRoute, ProxyRoute, UpstreamName } from './route-table';

/** Decides whether a request may be forwarded; returns the Authorization header to send on. */
export type ForwardAuthorizer = (req: Request, route: ProxyRoute) => Promise<string>;

/** Hop-by-hop headers are for one connection only and never forwarded (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
]);

function forwardable(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase())));
}

/** How long the gateway waits for a service's answer before it answers 504 itself. */
export const UPSTREAM_TIMEOUT_MS = 30_000;

/**
 * Streams a request to the service that owns its path and the answer back, unparsed. A body
 * over the limit is refused before it reaches a service; an unreachable service is a 503 that
 * says which one, a service too slow to answer a 504 that says so (an operator then looks for a
 * slow query, not a dead service).
 */
export function forwardRequests(
  upstreams: Record<UpstreamName, string>,
  bodyLimitBytes: number,
  authorize: ForwardAuthorizer,
  timeoutMs = UPSTREAM_TIMEOUT_MS,
) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const route = findRoute(req.method, req.path);
    if (!route) return next();
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > bodyLimitBytes) {
      return sendError(res, 413, 'Payload Too Large', `body: larger than the limit of ${bodyLimitBytes} bytes`);
    }
    let authorization: string;
    try {
      authorization = await authorize(req, route);
    } catch (err) {
      const body = toApiError(err);
      res.status(body.statusCode).json(body);
      return;
    }
    const target = new URL(req.originalUrl, upstreams[route.upstream]);
    const outgoing = httpRequest(
      target,
      {
        method: req.method,
        headers: {
          ...withoutCredentials(forwardable(req.headers)),
          ...traceHeaders(), // the gateway's span is the service's parent
          authorization,
          'x-forwarded-for': req.socket.remoteAddress ?? '',
          'x-forwarded-proto': req.protocol,
        },
        timeout: timeoutMs,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, forwardable(answer.headers));
        answer.pipe(res);
      },
    );
    let timedOut = false;
    outgoing.on('timeout', () => {
      timedOut = true;
      outgoing.destroy(new Error('timeout'));
    });
    outgoing.on('error', () => {
      if (res.headersSent) res.destroy();
      else if (timedOut) sendError(res, 504, 'Gateway Timeout', `${route.upstream}: no answer within ${timeoutMs / 1000} s, try again later`);
      else sendError(res, 503, 'Service Unavailable', `${route.upstream}: not reachable, try again shortly`);
    });
    let received = 0;
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > bodyLimitBytes) {
        outgoing.destroy();
        if (!res.headersSent) sendError(res, 413, 'Payload Too Large', `body: larger than the limit of ${bodyLimitBytes} bytes`);
        req.destroy();
      }
    });
    req.pipe(outgoing);
  };
}

/** The caller's own credentials stay at the gateway; the service gets the checked token. */
function withoutCredentials(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const { authorization: _authorization, 'x-api-key': _key, cookie: _cookie, ...rest } = headers;
  return rest;
}

function sendError(res: Response, statusCode: number, error: string, message: string): void {
  res.status(statusCode).json({ statusCode, error, message: [message] } satisfies ApiError);
}
