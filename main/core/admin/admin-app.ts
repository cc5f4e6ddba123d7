// The admin side of the server: the JSON API the dashboard and CLI use, the live event stream,
// the one-time login exchange, and the built dashboard itself.
import { timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import { SESSION_COOKIE } from '../core.js';
import type { AdminDeps } from './admin-deps.js';
import { sendAdminError, AdminError } from './define-route.js';
import { createEventStream } from './event-stream.js';
import { guardAdminRequest } from './request-guard.js';
import { registerPriceAndSettingsRoutes } from './routes/price-settings-routes.js';
import { registerProviderRoutes } from './routes/provider-routes.js';
import { registerToolRoutes } from './routes/tool-routes.js';
import { registerPlanRoutes } from './routes/plan-routes.js';
import { registerUsageRoutes } from './routes/usage-routes.js';
import { registerCacheAndRouteRoutes } from './routes/cache-route-routes.js';
import { registerAgentRoutes } from './routes/agent-routes.js';

export const DASHBOARD_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
  "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

function cookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return undefined;
}

function sameSecret(given: string, secret: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function createAdminApp(deps: AdminDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');

  app.use((req: Request, res: Response, next: NextFunction) => {
    const why = guardAdminRequest(req.headers);
    if (why) {
      res.status(403).json({ error: { message: `Refused: ${why}` } });
      return;
    }
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    next();
  });

  // One-time login link printed by `shimmy serve`: swap it for an HttpOnly session cookie.
  app.get('/login', (req, res) => {
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    const session = token ? deps.sessions.exchange(token) : undefined;
    if (!session) {
      res
        .status(401)
        .type('text/plain')
        .send('This login link is invalid or was already used. Run `shimmy dashboard` for a new one.');
      return;
    }
    res.setHeader('set-cookie', `${SESSION_COOKIE}=${session}; HttpOnly; SameSite=Strict; Path=/`);
    res.redirect(302, '/');
  });

  app.use('/api', (req: Request, res: Response, next: NextFunction) => {
    const auth = req.headers.authorization;
    const bearer = auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
    if (
      (bearer && sameSecret(bearer, deps.adminSecret)) ||
      deps.sessions.valid(cookie(req, SESSION_COOKIE))
    ) {
      next();
      return;
    }
    res.status(401).json({
      error: {
        message:
          'Not signed in: open the dashboard link printed by `shimmy serve` (or run `shimmy dashboard`).',
      },
    });
  });
  app.use('/api', express.json({ limit: '1mb' }));

  app.get('/api/events', createEventStream(deps.events).handler);
  registerToolRoutes(app, deps);
  registerPlanRoutes(app, deps);
  registerProviderRoutes(app, deps);
  registerPriceAndSettingsRoutes(app, deps);
  registerUsageRoutes(app, deps);
  registerCacheAndRouteRoutes(app, deps);
  registerAgentRoutes(app, deps);
  app.use('/api', (_req: Request, res: Response) => {
    res.status(404).json({ error: { message: 'No such admin route' } });
  });

  // The dashboard: static files, index.html for client-side routes.
  const index = path.join(deps.rendererDir, 'index.html');
  app.use((_req, res, next) => {
    res.setHeader('content-security-policy', DASHBOARD_CSP);
    next();
  });
  app.use(express.static(deps.rendererDir, { index: false }));
  app.get(/^\/(?!api\/).*/, (_req, res) => {
    if (!fs.existsSync(index)) {
      res.status(503).type('text/plain').send('The dashboard is not built. Run `npm run build`.');
      return;
    }
    res.sendFile(index);
  });

  // Malformed JSON bodies and the like reach here.
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const e = err as { type?: string; status?: number; message?: string };
    if (e?.type === 'entity.parse.failed')
      sendAdminError(res, new AdminError(400, `Malformed JSON body: ${e.message}`));
    else if (e?.status === 413) sendAdminError(res, new AdminError(413, 'Body too large'));
    else sendAdminError(res, err);
  });
  return app;
}
