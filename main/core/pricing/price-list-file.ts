// The refreshed price list: fetched from a LiteLLM model_prices_and_context_window.json-format
// URL, converted to USD per 1M tokens and saved atomically as a plain { model: Price } file.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { PriceSchema, type Price } from '../../../shared/prices.js';

/** One LiteLLM entry; costs are USD per TOKEN. Entries without numeric input and output costs
 *  (image/audio models) are skipped. */
const LiteLlmEntrySchema = z.object({
  input_cost_per_token: z.number().nonnegative(),
  output_cost_per_token: z.number().nonnegative(),
  cache_read_input_token_cost: z.number().nonnegative().nullish(),
  cache_creation_input_token_cost: z.number().nonnegative().nullish(),
});
const LiteLlmFileSchema = z.record(z.string(), z.unknown());

const FETCH_TIMEOUT_MS = 30_000;

/** Per token → per 1M tokens, without float noise (`1.5e-7 * 1e6` is 0.15000000000000002). */
function perMillion(perToken: number): number {
  return Number((perToken * 1_000_000).toPrecision(12));
}

export function convertLiteLlmPrices(raw: Record<string, unknown>): Record<string, Price> {
  const prices: Record<string, Price> = {};
  for (const [model, entry] of Object.entries(raw)) {
    // LiteLLM's documentation entry has numeric zero costs: it is not a model.
    if (model === 'sample_spec') continue;
    const parsed = LiteLlmEntrySchema.safeParse(entry);
    if (!parsed.success) continue;
    const e = parsed.data;
    const price: Price = {
      input: perMillion(e.input_cost_per_token),
      output: perMillion(e.output_cost_per_token),
    };
    if (e.cache_read_input_token_cost != null) price.cachedInput = perMillion(e.cache_read_input_token_cost);
    if (e.cache_creation_input_token_cost != null)
      price.cacheWrite = perMillion(e.cache_creation_input_token_cost);
    prices[model] = price;
  }
  return prices;
}

/** Fetch, validate, convert and save atomically to `file`. Never throws: network, HTTP, format
 *  and disk errors come back as {ok:false, error}, and the previous file is left as it was. */
export async function refreshPriceList(opts: {
  url: string;
  file: string;
  fetch: typeof fetch;
}): Promise<{ ok: true; count: number } | { ok: false; error: string }> {
  let raw: unknown;
  try {
    const res = await opts.fetch(opts.url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    if (!res.ok) return { ok: false, error: `price list fetch failed: HTTP ${res.status}` };
    raw = await res.json();
  } catch (err) {
    return { ok: false, error: `price list fetch failed: ${describe(err)}` };
  }
  const file = LiteLlmFileSchema.safeParse(raw);
  if (!file.success) return { ok: false, error: 'price list is not a JSON object of models' };
  const prices = convertLiteLlmPrices(file.data);
  const count = Object.keys(prices).length;
  if (count === 0) return { ok: false, error: 'price list has no model with input and output token costs' };
  try {
    await writeAtomically(opts.file, JSON.stringify(prices, null, 1));
  } catch (err) {
    return { ok: false, error: `could not save the price list: ${describe(err)}` };
  }
  return { ok: true, count };
}

/** Load the saved refreshed list (missing/corrupt file => {}; invalid entries are dropped). */
export async function loadRefreshedPrices(file: string): Promise<Record<string, Price>> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return {};
  }
  const table = LiteLlmFileSchema.safeParse(raw);
  if (!table.success) return {};
  const prices: Record<string, Price> = {};
  for (const [model, entry] of Object.entries(table.data)) {
    const price = PriceSchema.safeParse(entry);
    if (price.success) prices[model] = price.data;
  }
  return prices;
}

/** Write a temp file in the same directory, then rename over: readers see old or new, never half. */
async function writeAtomically(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, text, 'utf8');
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const cause = err.cause instanceof Error ? ` (${err.cause.message})` : '';
    return `${err.message}${cause}`;
  }
  return String(err);
}
