// The admin side (express, every admin route, the dashboard's files) is loaded on the first request
// that needs it, not at start: loading it came before the proxy could answer its first request
// (issue 16), and an instance only tools talk to may never need it. Start-up preloads it at the
// proxy's first quiet moment (start-core.ts), so a `shimmy` command or the dashboard seldom waits
// for it. A request that arrives while it loads waits for it (its body stays paused in the socket).
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { AdminDeps } from './admin-deps.js';

export interface LazyAdminApp {
  handle: RequestListener;
  /** Loads the app now, if no request has; resolves once loaded (a failure is left to the next request). */
  preload(): Promise<void>;
}

export function lazyAdminApp(deps: AdminDeps): LazyAdminApp {
  let app: Promise<RequestListener> | undefined;
  const load = () =>
    (app ??= import('./admin-app.js').then(
      (m) => m.createAdminApp(deps) as unknown as RequestListener,
      (err: unknown) => {
        app = undefined; // the next request tries again
        throw err;
      },
    ));
  return {
    handle: (req: IncomingMessage, res: ServerResponse) => {
      load().then(
        (handle) => handle(req, res),
        (err: unknown) => {
          if (!res.headersSent)
            res
              .writeHead(500, { 'content-type': 'text/plain' })
              .end(`The admin API failed to load: ${String(err)}`);
          else res.destroy();
        },
      );
    },
    preload: () =>
      load().then(
        () => undefined,
        () => undefined,
      ),
  };
}
