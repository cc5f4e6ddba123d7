// The bundle edits @pydantic/genai-prices' unit registry so it costs ~3 ms instead of 21-31 ms of
// start-up CPU (issue 16; scripts/bundle-genai-prices.mjs). These check that every edit still
// applies to the installed package, and that the edited package prices usage exactly as the
// published one: both copies imported side by side, the same usages priced with each.
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script, no types
import { genaiPricesUnits } from '../../../scripts/bundle-genai-prices.mjs';

type CalcPrice = (usage: object, model: string, opts: object) => unknown;

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => fs.rm(d, { recursive: true, force: true }))));

const file = path.join(
  path.dirname(createRequire(import.meta.url).resolve('@pydantic/genai-prices')),
  'index.js',
);

function transform(code: string): { code: string | undefined; warnings: string[] } {
  const warnings: string[] = [];
  const plugin = genaiPricesUnits() as {
    transform(this: { warn(m: string): void }, code: string, id: string): { code: string } | null;
  };
  const out = plugin.transform.call({ warn: (m) => warnings.push(m) }, code, file);
  return { code: out?.code, warnings };
}

async function load(code: string): Promise<CalcPrice> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'shimmy-genai-prices-'));
  dirs.push(dir);
  const f = path.join(dir, 'index.mjs');
  await fs.writeFile(f, code);
  return ((await import(pathToFileURL(f).href)) as { calcPrice: CalcPrice }).calcPrice;
}

describe('bundle: genai-prices unit registry edits', { timeout: 60_000 }, () => {
  it('every edit applies to the installed package', async () => {
    const { code, warnings } = transform(await fs.readFile(file, 'utf8'));
    expect(warnings).toEqual([]);
    expect(code).toContain('return X ??= new Y(J);');
    expect(code).not.toContain('localeCompare(a)));');
    // The bundled data is parsed on first use (a start with a saved catalog never uses it).
    expect(code?.startsWith('const E = () => ')).toBe(true);
  });

  it('another version’s code is left as it is, with a warning per edit', () => {
    const { code, warnings } = transform('export const x = 1;\n');
    expect(code).toBeUndefined();
    expect(warnings).toHaveLength(5);
  });

  it('its usage keys sort the same by code unit as by locale (the tie-break the edit changes)', async () => {
    const code = await fs.readFile(file, 'utf8');
    // The unit table: `], J = {` … `};` (declared together with the catalog before it).
    const start = code.indexOf('J = {\n');
    const end = code.indexOf('\n};\n', start) + 3;
    expect(start).toBeGreaterThan(0);
    const keys = Object.keys(new Function(`const ${code.slice(start, end)}\nreturn J;`)() as object);
    expect(keys.length).toBeGreaterThan(40);
    const byLocale = [...keys].sort((a, b) => a.localeCompare(b));
    expect([...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(byLocale);
  });

  it('the edited package prices usage exactly as the published one', async () => {
    const original = await fs.readFile(file, 'utf8');
    const edited = transform(original).code;
    if (edited === undefined) throw new Error('not edited');
    const [before, after] = await Promise.all([load(original), load(edited)]);
    // Usages that reach the registry's joins: cache reads and writes (5m/1h), audio, reasoning,
    // web searches, tiers past 200k; and one that must fail (a cached part larger than the input).
    const usages = [
      { input_tokens: 1000, output_tokens: 500 },
      { input_tokens: 300_000, cache_read_tokens: 100_000, output_tokens: 2000 },
      {
        input_tokens: 5000,
        cache_write_tokens: 1000,
        cache_write_1h_tokens: 400,
        cache_read_tokens: 2000,
        output_tokens: 800,
        web_searches: 3,
      },
      { input_tokens: 900, input_audio_tokens: 300, output_tokens: 100, output_audio_tokens: 50 },
      { input_tokens: 10, cache_read_tokens: 20, output_tokens: 1 },
    ];
    const models: [string, string][] = [
      ['claude-opus-4-6', 'anthropic'],
      ['claude-sonnet-4-5', 'anthropic'],
      ['gpt-5', 'openai'],
      ['gpt-4o-audio-preview', 'openai'],
      ['gemini-2.5-pro', 'google'],
    ];
    const run = (calc: CalcPrice) =>
      models.flatMap(([model, providerId]) =>
        usages.map((u) => {
          try {
            return calc(u, model, { providerId, timestamp: new Date('2026-11-28T12:00:00Z') });
          } catch (e) {
            return `threw: ${(e as Error).message}`;
          }
        }),
      );
    const a = run(before);
    expect(a.filter((r) => r && typeof r === 'object').length).toBeGreaterThan(10);
    expect(run(after)).toEqual(a);
  });
});
