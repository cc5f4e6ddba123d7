// The refreshed catalog on disk: written atomically (temp file + rename), the copy it replaces kept
// as `.prev`, so a file damaged later (disk, hand edit) still leaves a last good copy to price with.
// The file carries the SHA-256 of its providers as they were checked before saving: a start that
// finds them unchanged skips checking them again (the schema check of ~1,700 models was 50–350 ms
// of every start, issue 16); any other content, or a file without the digest, is checked in full.
import { isAscii } from 'node:buffer';
import { createHash, randomBytes } from 'node:crypto';
import { copyFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { parseCatalogProviders, type Catalog } from './catalog.js';

const FileSchema = z.object({
  format: z.literal('genai-prices'),
  url: z.string(),
  fetchedAt: z.string(),
  lastModified: z.string().optional(),
  providersSha256: z.string().optional(),
  providers: z.unknown(),
});

const digest = (providersJson: string | Uint8Array) =>
  createHash('sha256').update(providersJson).digest('hex');

/** JSON with every non-ASCII character escaped (\uXXXX): the same value, as ASCII text. The file
 *  is read on every start that has one, and a file of ASCII is decoded as latin1 into a one-byte
 *  string; with any other character (the catalog holds five) Node's UTF-8 decoding made a two-byte
 *  string of the ~1 MB, ~4-6 ms of the start on the bench VM, and JSON.parse reads a one-byte
 *  string faster too (issue 16). Files saved before this (UTF-8) still load as before. */
const asciiJson = (value: unknown) =>
  JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );

const PROVIDERS_MEMBER = Buffer.from(',"providers":');
const CLOSE_BRACE = 0x7d;

/** The digest of the providers' bytes as saveCatalogFile wrote them (its last member, then `}`),
 *  or undefined when the file is not laid out that way (edited by hand, say). Hashing these bytes
 *  costs a fraction of re-serializing what JSON.parse read (~1 MB) and hashing that string. The
 *  first `,"providers":` is the member's: the members before it are strings with `"` escaped. */
function savedProvidersDigest(bytes: Buffer): string | undefined {
  const at = bytes.indexOf(PROVIDERS_MEMBER);
  if (at < 0 || bytes[bytes.length - 1] !== CLOSE_BRACE) return undefined;
  return digest(bytes.subarray(at + PROVIDERS_MEMBER.length, bytes.length - 1));
}

export type LoadedCatalog =
  { catalog: Catalog; problem?: string } | { catalog?: undefined; problem?: string };

/** Reads `file` (or, when it is damaged, `file.prev`). Missing file: no catalog and no problem.
 *  A damaged file is reported in `problem` whatever else was found. */
export async function loadCatalogFile(file: string): Promise<LoadedCatalog> {
  const main = await readCatalog(file);
  if (main === undefined || typeof main !== 'string') return main ? { catalog: main } : {};
  const problem = `${file} is damaged (${main})`;
  const prev = await readCatalog(`${file}.prev`);
  if (prev && typeof prev !== 'string')
    return { catalog: prev, problem: `${problem}; using the previous copy from ${prev.fetchedAt}` };
  return { problem: `${problem}; using the bundled catalog` };
}

/** undefined = no such file; a string = why it cannot be used. */
async function readCatalog(file: string): Promise<Catalog | string | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return (err as Error).message;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8'));
  } catch (err) {
    return `not JSON: ${(err as Error).message}`;
  }
  const f = FileSchema.safeParse(raw, { jitless: true }); // once per start: not worth zod's JIT
  if (!f.success) return 'not a saved price catalog';
  // The bytes saveCatalogFile hashed are the file's providers member as written; failing that
  // (another layout), JSON.stringify of what JSON.parse read gives them back.
  const saved = f.data.providersSha256;
  const unchanged =
    saved !== undefined &&
    (savedProvidersDigest(bytes) === saved || digest(asciiJson(f.data.providers)) === saved);
  const providers = unchanged
    ? (f.data.providers as Catalog['providers'])
    : parseCatalogProviders(f.data.providers);
  if (typeof providers === 'string') return providers;
  return {
    providers,
    source: 'refreshed',
    url: f.data.url,
    fetchedAt: f.data.fetchedAt,
    ...(f.data.lastModified ? { lastModified: f.data.lastModified } : {}),
  };
}

/** `catalog` has passed parseCatalogProviders (catalog-refresh.ts): its digest vouches for that. */
export async function saveCatalogFile(file: string, catalog: Catalog): Promise<void> {
  const providersJson = asciiJson(catalog.providers);
  const text = asciiJson({
    format: 'genai-prices',
    url: catalog.url ?? '',
    fetchedAt: catalog.fetchedAt ?? new Date().toISOString(),
    ...(catalog.lastModified ? { lastModified: catalog.lastModified } : {}),
    providersSha256: digest(providersJson),
    providers: catalog.providers,
  });
  await mkdir(dirname(file), { recursive: true });
  // Keep what is there as the last good copy, but only if it is one.
  const current = await readCatalog(file);
  if (current && typeof current !== 'string') await copyFile(file, `${file}.prev`);
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, text, 'utf8');
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
