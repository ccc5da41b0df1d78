import 'reflect-metadata';
import { jsonBody, runService } from '@hotline/platform';
import { GATEWAY_DATABASE } from './database/gateway.database';
import { GatewayEnvironment } from './gateway.environment';
import { serveConsole } from './console/serve-console';
import { GatewayModule } from './gateway.module';
import { ForwardAuthorizer } from './proxy/forward-authorizer';
import { forwardRequests } from './proxy/forward-request';
import { findRoute, upstreamUrls } from './proxy/route-table';

const BODY_LIMIT_BYTES = 256 * 1024;

void runService({
  service: 'gateway',
  module: GatewayModule,
  database: GATEWAY_DATABASE,
  environment: GatewayEnvironment,
  // Forwarded bodies stream through to the owning service, which parses and validates them;
  // only the gateway's own endpoints (login, administration) are parsed here.
  parseJson: false,
  // Forwarded requests are labelled by the service they went to (the service labels the route).
  routeLabel: (req) => {
    const route = req.path.startsWith('/api/') ? findRoute(req.method, req.path) : undefined;
    return route ? `forward:${route.upstream}` : undefined;
  },
  configure: (app, env) => {
    const gatewayEnv = env as GatewayEnvironment;
    const authorizer = app.get(ForwardAuthorizer);
    // Only the console's origin is answered with CORS headers; any other origin gets none.
    app.enableCors({
      origin: (origin: string | undefined, done: (err: Error | null, allow?: boolean) => void) =>
        done(null, origin === gatewayEnv.CONSOLE_ORIGIN),
      maxAge: 600,
    });
    app.use(forwardRequests(upstreamUrls(gatewayEnv), BODY_LIMIT_BYTES, (req, route) => authorizer.authorize(req, route)));
    app.use(jsonBody('64kb'));
    app.use(serveConsole(gatewayEnv.CONSOLE_DIR));
  },
});
