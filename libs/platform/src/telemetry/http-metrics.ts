import type { NextFunction, Request, Response } from 'express';
import type { Telemetry } from './telemetry';

/**
 * Counts and times every answer by its route pattern (`/api/tickets/:id`, never the id itself,
 * so the number of series stays small); what matched no route is `unmatched`.
 */
export function httpMetrics(telemetry: Telemetry, routeOf?: (req: Request) => string | undefined) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const stop = telemetry.httpDuration.startTimer();
    res.once('finish', () => {
      const route = routeOf?.(req) ?? (req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched');
      const labels = { method: req.method, route, status: String(res.statusCode) };
      stop(labels);
      telemetry.httpRequests.inc(labels);
    });
    next();
  };
}
