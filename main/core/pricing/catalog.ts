// The price catalog Shimmy prices with: @pydantic/genai-prices' provider list, either the copy
// bundled with the package or a newer one refreshed from its update URL (catalog-file.ts).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { waitForUpdate, type Provider as CatalogProvider } from '@pydantic/genai-prices';
import { z } from 'zod';

export type { CatalogProvider };

export interface Catalog {
  providers: readonly CatalogProvider[];
  /** `bundled`: the data shipped in node_modules; `refreshed`: fetched from `url` at `fetchedAt`. */
  source: 'bundled' | 'refreshed';
  url?: string;
  fetchedAt?: string;
  /** The server's Last-Modified of the refreshed file, when it sent one. */
  lastModified?: string;
}

/** Structural check of a fetched or saved catalog: enough that lookups cannot throw on shape. Price
 *  values themselves are checked by the library when a request is priced (a bad entry then makes
 *  that one request unpriced, never a crash). */
const MatchSchema = z.record(z.string(), z.unknown());
const ModelSchema = z.looseObject({
  id: z.string().min(1),
  match: MatchSchema,
  prices: z.union([
    z.record(z.string(), z.unknown()),
    z.array(z.looseObject({ prices: z.record(z.string(), z.unknown()) })),
  ]),
  context_window: z.number().optional(),
});
const ProviderSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  api_pattern: z.string(),
  models: z.array(ModelSchema),
  fallback_model_providers: z.array(z.string()).optional(),
});
export const CatalogProvidersSchema = z
  .array(ProviderSchema)
  .refine((ps) => ps.some((p) => p.id === 'openai') && ps.some((p) => p.id === 'anthropic'), {
    message: 'not a genai-prices catalog: it has no openai or anthropic provider',
  });

/** Parses a catalog's providers; a string error says what is wrong with it. */
export function parseCatalogProviders(raw: unknown): CatalogProvider[] | string {
  const r = CatalogProvidersSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
    return `${issue?.message ?? 'invalid'}${where}`;
  }
  for (const p of r.data) {
    try {
      new RegExp(p.api_pattern);
    } catch {
      return `provider ${p.id} has an invalid api_pattern`;
    }
  }
  return r.data as unknown as CatalogProvider[];
}

/** The data bundled with the package. (The library hands it out through waitForUpdate() as long as
 *  nobody called its global updatePrices(), which Shimmy never does: it keeps its own copy.) */
export async function bundledCatalog(): Promise<Catalog> {
  const providers = await waitForUpdate();
  if (!providers) throw new Error('@pydantic/genai-prices has no bundled data');
  return { providers, source: 'bundled' };
}

/** `@pydantic/genai-prices 0.1.8`: the bundled data is as new as the installed package. Looked up
 *  when first asked (the Prices page), not when the module loads: resolving the package from the
 *  bundle and reading its package.json was ~10 ms of every start (issue 16). */
let library: string | undefined;
export const catalogLibrary = (): string => (library ??= readCatalogLibrary());

function readCatalogLibrary(): string {
  try {
    const entry = createRequire(import.meta.url).resolve('@pydantic/genai-prices');
    const pkg = JSON.parse(readFileSync(path.join(path.dirname(entry), '..', 'package.json'), 'utf8')) as {
      version?: string;
    };
    return `@pydantic/genai-prices ${pkg.version ?? ''}`.trim();
  } catch {
    return '@pydantic/genai-prices';
  }
}
