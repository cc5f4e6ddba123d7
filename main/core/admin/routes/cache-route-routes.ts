// The response cache and the routing rules (aliases) of the admin API.
import type { Express } from 'express';
import type { AdminDeps } from '../admin-deps.js';
import { AdminError, defineRoute } from '../define-route.js';

export function registerCacheAndRouteRoutes(app: Express, deps: AdminDeps): void {
  const { config, cache, events } = deps;

  defineRoute(app, 'cacheStats', () => {
    const s = cache.stats();
    return {
      enabled: config.get().settings.cacheEnabled,
      entries: s.entries,
      bytes: s.bytes,
      hits: s.hits,
      misses: s.misses,
      savedUsd: s.savedUsd,
    };
  });

  defineRoute(app, 'clearCache', async () => {
    const cleared = cache.stats().entries;
    await cache.clear();
    events.emit({ type: 'config', what: 'cache' });
    return { cleared };
  });

  defineRoute(app, 'listRoutes', () => config.get().routes);

  defineRoute(app, 'addRoute', async ({ body }) => {
    const slash = body.target.indexOf('/');
    const provider = slash < 0 ? body.target : body.target.slice(0, slash);
    const model = slash < 0 ? undefined : body.target.slice(slash + 1);
    if (!config.get().providers.some((p) => p.name === provider)) {
      throw new AdminError(400, `No provider named "${provider}" (shimmy provider list)`, 'target');
    }
    const rule = { pattern: body.pattern, provider, ...(model ? { model } : {}) };
    await config.update((c) => {
      // Re-adding a pattern replaces its rule in place, keeping first-match order stable.
      const i = c.routes.findIndex((r) => r.pattern === body.pattern);
      if (i >= 0) c.routes[i] = rule;
      else c.routes.push(rule);
    });
    events.emit({ type: 'config', what: 'routes' });
    return rule;
  });

  defineRoute(app, 'deleteRoute', async ({ params }) => {
    if (!config.get().routes.some((r) => r.pattern === params.pattern))
      throw new AdminError(404, `No route for "${params.pattern}"`);
    await config.update((c) => {
      c.routes = c.routes.filter((r) => r.pattern !== params.pattern);
    });
    events.emit({ type: 'config', what: 'routes' });
    return { ok: true as const };
  });
}
