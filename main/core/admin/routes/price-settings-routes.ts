import type { Express } from 'express';
import type { Settings } from '../../../../shared/config.js';
import { catalogLibrary, listPrices, unpricedModels } from '../../pricing/index.js';
import type { AdminDeps } from '../admin-deps.js';
import { AdminError, defineRoute } from '../define-route.js';

export function registerPriceAndSettingsRoutes(app: Express, deps: AdminDeps): void {
  const { config, prices, events } = deps;

  defineRoute(app, 'listPrices', () =>
    listPrices({
      catalog: deps.priceCatalog.current(),
      user: config.get().prices,
      legacy: deps.legacyPrices(),
      providers: config.get().providers,
      at: deps.now(),
    }),
  );

  defineRoute(app, 'priceStatus', async () => ({
    catalog: { ...deps.priceCatalog.status(), library: catalogLibrary() },
    unpriced: await unpricedModels({ ledger: deps.ledger, config: config.get(), prices, now: deps.now() }),
  }));

  defineRoute(app, 'putPrice', async ({ params, body }) => {
    const model = params.model!;
    await config.update((c) => {
      c.prices[model] = body;
    });
    events.emit({ type: 'config', what: 'prices' });
    return { model, price: body, source: 'user' as const };
  });

  defineRoute(app, 'deletePrice', async ({ params }) => {
    if (!config.get().prices[params.model!])
      throw new AdminError(404, `No price override for "${params.model}"`);
    await config.update((c) => {
      delete c.prices[params.model!];
    });
    events.emit({ type: 'config', what: 'prices' });
    return { ok: true as const };
  });

  defineRoute(app, 'refreshPrices', async ({ body }) => {
    const r = await deps.priceCatalog.refresh(body.url);
    if (!r.ok) return { ok: false as const, url: r.url, message: r.error };
    events.emit({ type: 'config', what: 'prices' });
    return { ok: true as const, url: r.url, models: r.models, fetchedAt: r.catalog.fetchedAt ?? '' };
  });

  defineRoute(app, 'getSettings', () => config.get().settings);

  defineRoute(app, 'patchSettings', async ({ body }) => {
    if (body.timeZone) {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: body.timeZone });
      } catch {
        throw new AdminError(
          400,
          `Unknown time zone "${body.timeZone}" (use an IANA name such as Europe/Berlin)`,
          'timeZone',
        );
      }
    }
    const next = await config.update((c) => {
      const s = c.settings as Settings & Record<string, unknown>;
      for (const [k, v] of Object.entries(body)) {
        if (v === null) delete s[k];
        else if (v !== undefined) s[k] = v;
      }
    });
    events.emit({ type: 'config', what: 'settings' });
    return next.settings;
  });
}
