// Fetches a newer catalog from genai-prices' update URL (or settings.priceListUrl), checks it and
// saves it. Runs in the background (start-core.ts) or from `shimmy price refresh`, never on the
// request path.
import { REMOTE_DATA_JSON_URL } from '@pydantic/genai-prices';
import { parseCatalogProviders, type Catalog } from './catalog.js';
import { saveCatalogFile } from './catalog-file.js';

export const DEFAULT_CATALOG_URL = REMOTE_DATA_JSON_URL;
/** How often the background refresh runs (issue 11: on start and every 6 h). */
export const CATALOG_REFRESH_MS = 6 * 3600_000;
const FETCH_TIMEOUT_MS = 30_000;

export type RefreshResult = { ok: true; catalog: Catalog; models: number } | { ok: false; error: string };

/** Never throws: network, HTTP, format and disk errors come back as {ok:false}; the saved file is
 *  then left as it was. */
export async function refreshCatalog(opts: {
  url: string;
  file: string;
  fetch: typeof fetch;
  now: () => Date;
}): Promise<RefreshResult> {
  let raw: unknown;
  let lastModified: string | null;
  try {
    const res = await opts.fetch(opts.url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    if (!res.ok) return { ok: false, error: `price catalog fetch failed: HTTP ${res.status}` };
    lastModified = res.headers.get('last-modified');
    raw = await res.json();
  } catch (err) {
    return { ok: false, error: `price catalog fetch failed: ${describe(err)}` };
  }
  const providers = parseCatalogProviders(raw);
  if (typeof providers === 'string')
    return { ok: false, error: `${opts.url} is not a usable genai-prices catalog: ${providers}` };
  const catalog: Catalog = {
    providers,
    source: 'refreshed',
    url: opts.url,
    fetchedAt: opts.now().toISOString(),
    ...(lastModified ? { lastModified } : {}),
  };
  try {
    await saveCatalogFile(opts.file, catalog);
  } catch (err) {
    return { ok: false, error: `could not save the price catalog: ${describe(err)}` };
  }
  return { ok: true, catalog, models: providers.reduce((n, p) => n + p.models.length, 0) };
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const cause = err.cause instanceof Error ? ` (${err.cause.message})` : '';
    return `${err.message}${cause}`;
  }
  return String(err);
}
