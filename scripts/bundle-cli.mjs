// Bundles the compiled CLI (dist/main/cli/index.js and everything it imports, the core included)
// into dist/main/bundle/ (CommonJS: shimmy.cjs and its chunks), which bin/shimmy.js runs. Why:
// Node's ESM loader pays per module — resolve, read, decode, compile, link — and `serve` loaded ~660 of them before its first answer (kysely
// alone 263, undici 110, zod 95, ours 160): half of its start-up CPU (issue 16). One file per lazy
// part (each command, the core, the admin app) is what a start reads instead. `npm run build:core`
// runs it after tsc; the Electron shell keeps loading tsc's output.
//
// Left outside the bundle, loaded from node_modules as before: native addons (better-sqlite3,
// keytar), what only some instances load (pg, ioredis, express for the admin app), electron.
// The bundle sits two levels under dist/, like dist/main/core, so paths computed from a module's
// own location (dist/renderer for the dashboard, bin/shimmy.js) come out the same.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { jsonLiterals } from './bundle-json-literals.mjs';
import { genaiPricesUnits } from './bundle-genai-prices.mjs';
import { undiciDropSentBody, undiciLazyHttp2, undiciPrecompileLlhttp } from './bundle-undici.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const EXTERNAL = ['better-sqlite3', 'keytar', 'pg', 'ioredis', 'express', 'electron', 'gpt-tokenizer'];
const external = (id) => id.startsWith('node:') || EXTERNAL.some((p) => id === p || id.startsWith(`${p}/`));

const outDir = `${root}dist/main/bundle`;
rmSync(outDir, { recursive: true, force: true });
await build({
  configFile: false,
  root,
  logLevel: 'warn',
  publicDir: false,
  plugins: [
    jsonLiterals(),
    genaiPricesUnits(),
    undiciLazyHttp2(),
    undiciPrecompileLlhttp(),
    undiciDropSentBody(),
  ],
  ssr: { noExternal: true, external: EXTERNAL, target: 'node' },
  build: {
    ssr: true,
    outDir,
    emptyOutDir: true,
    minify: false,
    sourcemap: true,
    target: 'node20',
    reportCompressedSize: false,
    // The data files the plugins emit (bundle-json-literals.mjs): an SSR build drops assets otherwise.
    ssrEmitAssets: true,
    rolldownOptions: {
      // Two entries: the CLI (bin/shimmy.js) and the core alone (`startCore`), for the hosts that
      // start a core without the CLI — the desktop shell and the bench's Shimmy child.
      input: { shimmy: `${root}dist/main/cli/index.js`, core: `${root}dist/main/core/start-core.js` },
      external,
      output: {
        // CommonJS: bin/code-cache.js can then give V8 its cached code (Node 20 has no code cache
        // for ES modules). Each lazy part stays a file of its own, loaded by require when needed.
        format: 'cjs',
        entryFileNames: '[name].cjs',
        chunkFileNames: '[name]-[hash].cjs',
        // `import('keytar')` as require: V8 drops a script's dynamic-import callback when its code
        // comes from the cache, so an `import()` left in the bundle failed on every cached start.
        dynamicImportInCjs: false,
        // ASCII only (non-ASCII escaped): Node decodes a file with any other character into a
        // two-byte string, which V8 then parses more slowly. Comments go (the .map keeps the source).
        charset: 'ascii',
        comments: false,
        // (Minifying measured no faster to load: V8 pre-parses lazily either way.)
      },
    },
  },
});

// No `import()` may be left in the bundle: V8 drops a script's dynamic-import callback when its
// code comes from the cache (bin/code-cache.js), so it would fail on every cached start but not
// on the first — a bug no fresh test run would see.
for (const name of readdirSync(outDir).filter((f) => f.endsWith('.cjs'))) {
  if (/\bimport\s*\(/.test(readFileSync(`${outDir}/${name}`, 'utf8')))
    throw new Error(
      `dist/main/bundle/${name} has an import(): bin/code-cache.js cannot run it from the cache`,
    );
}
