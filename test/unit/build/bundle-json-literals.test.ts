// The bundle turns a package's large data literal into JSON.parse of the same data, read from a
// file beside the bundle (issue 16's start-up: @pydantic/genai-prices' catalog), and leaves alone a
// literal JSON cannot carry. Built for real with vite as scripts/bundle-cli.mjs builds (CommonJS,
// SSR, assets emitted), output required and compared.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { build } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script, no types
import { jsonLiterals } from '../../../scripts/bundle-json-literals.mjs';

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => fs.rm(d, { recursive: true, force: true }))));

/** Data big enough to be converted: nested objects, arrays, booleans, floats, non-ASCII text. */
const rows = Array.from({ length: 1500 }, (_, i) => ({
  id: `model-${i}`,
  match: { or: [{ starts_with: `m${i}` }, { regex: `^m${i}-\\d{8}$` }] },
  prices: { input_mtok: i / 7, output_mtok: 2e5, cached: i % 2 === 0 },
  note: i % 10 === 0 ? 'prix — “per token”' : null,
}));

async function bundle(source: string): Promise<{ code: string; value: unknown; files: string[] }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'shimmy-json-literals-'));
  dirs.push(dir);
  const pkg = path.join(dir, 'node_modules', 'data-pkg');
  await fs.mkdir(pkg, { recursive: true });
  await fs.writeFile(path.join(pkg, 'index.js'), source);
  await fs.writeFile(
    path.join(dir, 'entry.js'),
    `export { default } from './node_modules/data-pkg/index.js';\n`,
  );
  await build({
    configFile: false,
    root: dir,
    logLevel: 'silent',
    plugins: [jsonLiterals()],
    build: {
      ssr: path.join(dir, 'entry.js'),
      outDir: path.join(dir, 'out'),
      minify: false,
      ssrEmitAssets: true,
      rolldownOptions: { output: { format: 'cjs', entryFileNames: 'out.cjs' } },
    },
  });
  const out = path.join(dir, 'out', 'out.cjs');
  const code = await fs.readFile(out, 'utf8');
  // CommonJS output of the entry's `export { default }`: module.exports is that default.
  const value: unknown = createRequire(out)(out);
  return { code, value, files: await fs.readdir(path.join(dir, 'out')) };
}

describe('bundle: large data literals become JSON.parse', { timeout: 60_000 }, () => {
  it('a large plain-data literal is parsed from JSON and equals the original', async () => {
    const { code, value, files } = await bundle(
      `const E = ${JSON.stringify(rows, null, 2)}, J = { small: true };\nexport default { E, J };\n`,
    );
    expect(code).toMatch(/JSON\.parse\(/);
    expect(value).toEqual({ E: rows, J: { small: true } });
    // The data is in a file of its own, not in the code: a literal is read, hashed and kept in the
    // heap on every start, and again in the code cache once parsed (bundle-json-literals.mjs).
    expect(code).not.toContain('model-1499');
    expect(files.filter((f) => f.endsWith('.json'))).toHaveLength(1);
  });

  it('a literal with a value JSON cannot hold (undefined) stays code', async () => {
    const source = `const E = ${JSON.stringify(rows)};\nE[0].extra = 1;\nconst F = [${JSON.stringify(rows).slice(1, -1)}, { gone: undefined }];\nexport default { E, F };\n`;
    const { code, value } = await bundle(source);
    // E converts; F keeps its literal (a JSON round trip would drop `gone`).
    expect(code.match(/JSON\.parse\(/g)?.length).toBe(1);
    const v = value as { E: unknown[]; F: Array<Record<string, unknown>> };
    expect(v.F.at(-1)).toHaveProperty('gone', undefined);
    expect(v.E).toHaveLength(rows.length);
  });
});
