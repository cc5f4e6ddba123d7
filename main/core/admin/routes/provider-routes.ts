import type { Express } from 'express';
import type { Config, Provider } from '../../../../shared/config.js';
import { BUILTIN_PROVIDERS } from '../../config/builtin-providers.js';
import { envVarForKey } from '../../vault/env-keys.js';
import { checkKeyShape } from '../../vault/key-shape.js';
import type { AdminDeps } from '../admin-deps.js';
import { AdminError, defineRoute } from '../define-route.js';

function findProvider(config: Config, name: string): Provider {
  const p = config.providers.find((x) => x.name === name);
  if (!p) throw new AdminError(404, `No provider named "${name}". List them with: shimmy provider list`);
  return p;
}

/** Exactly one default per family: making one default clears the others. */
function makeDefault(config: Config, name: string): void {
  const target = findProvider(config, name);
  for (const p of config.providers) if (p.kind === target.kind) p.isDefault = p.name === name;
}

/** A price provider must be one the catalog knows, or its requests would all be unpriced. */
function checkPriceProvider(deps: AdminDeps, id: string): void {
  const ids = deps.priceCatalog.current().providers.map((p) => p.id);
  if (!ids.includes(id))
    throw new AdminError(400, `No price catalog provider "${id}"; known: ${ids.join(', ')}`, 'priceProvider');
}

export function registerProviderRoutes(app: Express, deps: AdminDeps): void {
  const { config, vault, events } = deps;
  const changed = () => events.emit({ type: 'config', what: 'providers' });
  const view = async (p: Provider) => {
    const hasKey = (await vault.keys(p.name)).length > 0;
    const keyNeedsReentry = !hasKey && (await vault.list()).some((k) => k.provider === p.name);
    return { ...p, hasKey, keyNeedsReentry };
  };

  defineRoute(app, 'listProviders', async () => Promise.all(config.get().providers.map(view)));

  defineRoute(app, 'addProvider', async ({ body }) => {
    if (config.get().providers.some((p) => p.name === body.name))
      throw new AdminError(409, `A provider named "${body.name}" already exists`, 'name');
    if (body.priceProvider) checkPriceProvider(deps, body.priceProvider);
    const next = await config.update((c) => {
      c.providers.push({
        name: body.name,
        kind: body.kind,
        baseUrl: body.baseUrl,
        ...(body.priceProvider ? { priceProvider: body.priceProvider } : {}),
      });
      if (body.isDefault) makeDefault(c, body.name);
    });
    changed();
    return view(findProvider(next, body.name));
  });

  defineRoute(app, 'patchProvider', async ({ params, body }) => {
    findProvider(config.get(), params.name!);
    if (body.priceProvider) checkPriceProvider(deps, body.priceProvider);
    const next = await config.update((c) => {
      const p = findProvider(c, params.name!);
      if (body.baseUrl) p.baseUrl = body.baseUrl;
      if (body.priceProvider === null) delete p.priceProvider;
      else if (body.priceProvider !== undefined) p.priceProvider = body.priceProvider;
      if (body.fallback === null) delete p.fallback;
      else if (body.fallback !== undefined) {
        const target = body.fallback.split('/')[0]!;
        const t = c.providers.find((x) => x.name === target);
        if (!t) throw new AdminError(400, `Fallback provider "${target}" does not exist`, 'fallback');
        if (t.kind !== p.kind)
          throw new AdminError(
            400,
            `Fallback "${target}" speaks the ${t.kind} API, not ${p.kind}`,
            'fallback',
          );
        p.fallback = body.fallback;
      }
      if (body.isDefault) makeDefault(c, p.name);
    });
    changed();
    return view(findProvider(next, params.name!));
  });

  defineRoute(app, 'deleteProvider', async ({ params }) => {
    const p = findProvider(config.get(), params.name!);
    if (p.builtin) {
      throw new AdminError(
        400,
        `"${p.name}" is a built-in preset and cannot be removed; make another provider the default instead`,
      );
    }
    await config.update((c) => {
      c.providers = c.providers.filter((x) => x.name !== p.name);
      // The family keeps a default: fall back to the built-in preset.
      if (p.isDefault) {
        const preset = BUILTIN_PROVIDERS.find((b) => b.kind === p.kind);
        if (preset) makeDefault(c, preset.name);
      }
    });
    changed();
    return { ok: true as const };
  });

  defineRoute(app, 'listKeys', () => vault.list());

  defineRoute(app, 'putKey', async ({ body }) => {
    const provider = findProvider(config.get(), body.provider);
    const shape = checkKeyShape(body.key, provider.baseUrl, body.force);
    if (!shape.ok)
      throw new AdminError(
        400,
        `${shape.message}. Nothing was stored.${shape.forceable ? ' If it is right, store it anyway with --force (dashboard: "Store anyway").' : ''}`,
        'key',
      );
    try {
      const info = await vault.set(body.provider, body.key, body.label ?? 'default');
      deps.keyHealth.clear(body.provider, info.label);
      events.emit({ type: 'config', what: 'keys' });
      return info;
    } catch (err) {
      throw new AdminError(
        503,
        (err as Error).message ?? `Keychain unavailable; use ${envVarForKey(body.provider)}`,
      );
    }
  });

  defineRoute(app, 'deleteKey', async ({ params }) => {
    const removed = await vault.remove(params.provider!, params.label!);
    if (!removed)
      throw new AdminError(404, `No key "${params.label}" stored for provider "${params.provider}"`);
    events.emit({ type: 'config', what: 'keys' });
    return { ok: true as const };
  });
}
