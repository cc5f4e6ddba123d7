// Keeps the catalog current without an app update: the saved copy (or the bundled one) at start,
// then a background refresh on start and every 6 h from genai-prices' update URL or
// settings.priceListUrl. Never on the request path: lookups read whatever copy is current.
import type { Catalog } from './catalog.js';
import { bundledCatalog } from './catalog.js';
import { loadCatalogFile } from './catalog-file.js';
import {
  CATALOG_REFRESH_MS,
  DEFAULT_CATALOG_URL,
  refreshCatalog,
  type RefreshResult,
} from './catalog-refresh.js';

export interface CatalogStatus {
  source: Catalog['source'];
  url?: string;
  fetchedAt?: string;
  lastModified?: string;
  /** A damaged saved catalog (and what is used instead). */
  problem?: string;
  lastRefresh?: { at: string; ok: boolean; error?: string };
  autoRefresh: boolean;
  refreshUrl: string;
}

export interface PriceCatalogService {
  current(): Catalog;
  status(): CatalogStatus;
  /** `url` defaults to settings.priceListUrl, then genai-prices' own update URL. */
  refresh(url?: string): Promise<RefreshResult & { url: string }>;
  /** Background refresh now and every 6 h, while auto-refresh is on. */
  start(): void;
  stop(): void;
}

export async function openPriceCatalog(deps: {
  file: string;
  fetch: typeof fetch;
  now: () => Date;
  log: (entry: Record<string, unknown>) => void;
  /** settings.priceListUrl */
  url: () => string | undefined;
  /** settings.priceRefresh (default on) and not SHIMMY_PRICE_REFRESH=off */
  autoRefresh: () => boolean;
  /** The catalog bundled with the library (tests count its uses); default: bundledCatalog. */
  bundled?: () => Promise<Catalog>;
}): Promise<PriceCatalogService> {
  const loaded = await loadCatalogFile(deps.file);
  // The bundled list only when no saved one is usable: parsing it (~500 kB of JSON, done on first
  // use since scripts/bundle-genai-prices.mjs) was most of what a start with a saved catalog paid
  // over one without — it parsed both (issue 16).
  let catalog: Catalog = loaded.catalog ?? (await (deps.bundled ?? bundledCatalog)());
  const initial = catalog;
  const problem = loaded.problem;
  if (problem) deps.log({ warn: 'price catalog damaged', cause: problem });
  let lastRefresh: CatalogStatus['lastRefresh'];
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<RefreshResult & { url: string }> | null = null;

  const refreshUrl = () => deps.url() ?? DEFAULT_CATALOG_URL;
  async function refresh(url = refreshUrl()): Promise<RefreshResult & { url: string }> {
    const r = await refreshCatalog({ url, file: deps.file, fetch: deps.fetch, now: deps.now });
    lastRefresh = { at: deps.now().toISOString(), ok: r.ok, ...(r.ok ? {} : { error: r.error }) };
    if (r.ok) catalog = r.catalog;
    return { ...r, url };
  }
  const background = () => {
    if (!deps.autoRefresh() || running) return;
    running = refresh()
      .then((r) => {
        if (!r.ok)
          deps.log({ warn: 'price catalog refresh failed; the last good copy stays in use', cause: r.error });
        return r;
      })
      .finally(() => (running = null));
  };

  return {
    current: () => catalog,
    status: () => ({
      source: catalog.source,
      ...(catalog.url ? { url: catalog.url } : {}),
      ...(catalog.fetchedAt ? { fetchedAt: catalog.fetchedAt } : {}),
      ...(catalog.lastModified ? { lastModified: catalog.lastModified } : {}),
      // A damaged file stops mattering once a refresh has replaced it.
      ...(problem && catalog === initial ? { problem } : {}),
      ...(lastRefresh ? { lastRefresh } : {}),
      autoRefresh: deps.autoRefresh(),
      refreshUrl: refreshUrl(),
    }),
    refresh,
    start() {
      background();
      timer = setInterval(background, CATALOG_REFRESH_MS);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
