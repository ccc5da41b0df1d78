import fs from 'node:fs';
import path from 'node:path';
import express, { NextFunction, Request, RequestHandler, Response } from 'express';

/** Paths that belong to the API and the probes, never to the console's client-side routes. */
const NOT_CONSOLE = /^\/(api|health|metrics)(\/|$)/;

/**
 * Serves the built web console (apps/console, `vite build`) at `/`: its hashed assets for a
 * year, index.html never cached, and index.html for every other GET so client-side routes
 * (/desk, /inbox…) survive a reload. Without a build the gateway says how to make one.
 */
export function serveConsole(directory: string): RequestHandler {
  const index = path.join(directory, 'index.html');
  const assets = express.static(directory, {
    index: false,
    fallthrough: true,
    setHeaders: (res, file) => {
      res.setHeader('Cache-Control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  return (req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || NOT_CONSOLE.test(req.path)) return next();
    assets(req, res, () => {
      if (!fs.existsSync(index)) {
        res.status(404).type('text/plain; charset=utf-8').send('控制台尚未构建 (console not built): npm run build:console');
        return;
      }
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(index);
    });
  };
}
