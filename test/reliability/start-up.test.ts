// Start-up's deferred work (issue 16): what no first request needs loads at the proxy's first quiet
// moment, not before the port opens and not on a request's path. The admin app (express) is
// preloaded then, so a `shimmy` command that comes later does not wait for it; a request made right
// after start is answered and recorded with everything else still to come. And `serve` runs from
// the bundle (scripts/bundle-cli.mjs): it reads a few files, not the ~660 modules of the compiled
// core and its packages that cost half of its start-up.
import fs from 'node:fs/promises';
import module from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAdmin } from '../../main/cli/admin-client.js';
import { cliEnv, freePort, runCli } from '../support/cli-process.js';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream.js';
import { writePointedConfig } from '../support/pointed-config.js';
import { chat, spawnServe, tempDir } from './serve-fixture.js';

describe('`shimmy serve` start-up', { timeout: 120_000 }, () => {
  let upstream: FakeUpstream;
  beforeAll(async () => {
    upstream = await startFakeUpstream();
  });
  afterAll(() => upstream.close());

  it('preloads the admin app once the proxy is quiet, before anything asks for it', async () => {
    const dataDir = await tempDir();
    await writePointedConfig(dataDir, upstream.url);
    const served = spawnServe({ dataDir, port: await freePort() });
    try {
      await served.listening;
      // Nothing has asked for the admin side: the instance loads it on its own, and says so.
      await expect
        .poll(() => /"info":"admin app loaded"/.test(served.stdout()), { timeout: 60_000, interval: 100 })
        .toBe(true);
      const admin = await connectAdmin(dataDir);
      const { token } = await admin.call('createTool', { body: { name: 'later', limits: { dailyUsd: 5 } } });
      expect((await chat(admin.url, token)).status).toBe(200);
      await expect
        .poll(async () => (await admin.call('listRequests', { query: { limit: '10' } })).records.length, {
          timeout: 10_000,
        })
        .toBe(1);
    } finally {
      served.child.kill('SIGTERM');
      await served.exited;
    }
  });

  it('answers its first request from the bundle: no module of the compiled core or its bundled packages read on its own', async () => {
    const dataDir = await tempDir();
    await writePointedConfig(dataDir, upstream.url);
    const trace = path.join(dataDir, 'modules.txt');
    const tracer = fileURLToPath(new URL('../support/trace-modules.mjs', import.meta.url));
    const { env } = cliEnv();
    const served = spawnServe({
      dataDir,
      port: await freePort(),
      env: { ...env, NODE_OPTIONS: `--import=${tracer}`, SHIMMY_TRACE_MODULES: trace },
    });
    try {
      await served.listening;
      const admin = await connectAdmin(dataDir);
      const { token } = await admin.call('createTool', { body: { name: 'first', limits: { dailyUsd: 5 } } });
      expect((await chat(admin.url, token)).status).toBe(200);
      const loaded = (await fs.readFile(trace, 'utf8')).split('\n').filter(Boolean);
      const repo = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
      const dist = path.join(repo, 'dist') + path.sep;
      // Read at all, so the trace is not empty by accident: the bundle and the native driver.
      expect(loaded.some((f) => f.startsWith(path.join(dist, 'main', 'bundle') + path.sep))).toBe(true);
      expect(loaded.some((f) => f.includes(`${path.sep}better-sqlite3${path.sep}`))).toBe(true);
      const separate = loaded.filter(
        (f) =>
          (f.startsWith(dist) && !f.startsWith(path.join(dist, 'main', 'bundle') + path.sep)) ||
          /[/\\]node_modules[/\\](kysely|zod|undici|commander|@pydantic[/\\]genai-prices)[/\\]/.test(f),
      );
      expect(separate).toEqual([]);
    } finally {
      served.child.kill('SIGTERM');
      await served.exited;
    }
  });

  it('answers its first request without loading node:tls or node:zlib for the core', async () => {
    // Each was loaded by the core's bundle for one rarely used helper — an `instanceof TLSSocket`
    // in the export path, the PDF page counter's inflateSync — on every start (issue 16).
    const dataDir = await tempDir();
    await writePointedConfig(dataDir, upstream.url);
    const first = spawnServe({ dataDir, port: await freePort() });
    let token: string;
    try {
      await first.listening;
      const admin = await connectAdmin(dataDir);
      ({ token } = await admin.call('createTool', { body: { name: 'first', limits: { dailyUsd: 5 } } }));
    } finally {
      first.child.kill('SIGTERM');
      await first.exited;
    }
    const trace = path.join(dataDir, 'builtins.txt');
    const tracer = fileURLToPath(new URL('../support/trace-modules.mjs', import.meta.url));
    const { env } = cliEnv();
    const served = spawnServe({
      dataDir,
      port: await freePort(),
      env: { ...env, NODE_OPTIONS: `--import=${tracer}`, SHIMMY_TRACE_BUILTINS: trace },
    });
    try {
      const url = await served.listening;
      expect((await chat(url, token)).status).toBe(200);
      const lines = async () => (await fs.readFile(trace, 'utf8').catch(() => '')).split('\n');
      await expect.poll(async () => (await lines()).includes('first-answer'), { timeout: 10_000 }).toBe(true);
      const before = (await lines()).slice(0, (await lines()).indexOf('first-answer'));
      // Read at all, so the trace is not empty by accident.
      expect(before.some((l) => l.startsWith('http '))).toBe(true);
      const bundle =
        path.resolve(fileURLToPath(new URL('../../dist/main/bundle', import.meta.url))) + path.sep;
      // The admin app may have been preloaded by then (the proxy was quiet): its packages' loads
      // come from node_modules, not from the core's bundle.
      const forCore = before.filter((l) => /^(tls|zlib) /.test(l) && l.includes(` ${bundle}`));
      expect(forCore).toEqual([]);
    } finally {
      served.child.kill('SIGTERM');
      await served.exited;
    }
  });

  it('a management command sends its request without building the admin route table (zod schemas)', async () => {
    const dataDir = await tempDir();
    await writePointedConfig(dataDir, upstream.url);
    const served = spawnServe({ dataDir, port: await freePort() });
    try {
      await served.listening;
      const admin = await connectAdmin(dataDir);
      await admin.call('createTool', { body: { name: 'listed', limits: { dailyUsd: 5 } } });
      const trace = path.join(dataDir, 'cli-modules.txt');
      const tracer = fileURLToPath(new URL('../support/trace-modules.mjs', import.meta.url));
      const { env } = cliEnv();
      const listed = await runCli(['tool', 'list', '--data-dir', dataDir], {
        env: { ...env, NODE_OPTIONS: `--import=${tracer}`, SHIMMY_TRACE_MODULES: trace },
      });
      expect(listed.code).toBe(0);
      expect(listed.stdout).toMatch(/^listed\s+active\s+\$5\.00\/day/m);
      const loaded = (await fs.readFile(trace, 'utf8')).split('\n').filter(Boolean);
      expect(loaded.some((f) => f.includes(`${path.sep}bundle${path.sep}`))).toBe(true);
      // shared/admin-api.ts, compiled or as its bundle chunk (CommonJS: .cjs): every schema of the contract.
      expect(loaded.filter((f) => /^admin-api(-[\w-]+)?\.c?js$/.test(path.basename(f)))).toEqual([]);
      // Nor zod at all (issue 16: it was loaded to check instance.json's three fields; the bundle's
      // chunks keep a `// …/node_modules/zod/…` line where each of its modules begins).
      const withZod = [];
      for (const f of loaded.filter((f) => f.includes(`${path.sep}bundle${path.sep}`)))
        if (/^\/\/ \S*node_modules\/zod\//m.test(await fs.readFile(f, 'utf8')))
          withZod.push(path.basename(f));
      expect(withZod).toEqual([]);
    } finally {
      served.child.kill('SIGTERM');
      await served.exited;
    }
  });

  // bin/code-cache.js (Node 20): the first proxied answer's code (upstream client, pricing, meters)
  // goes into the cache the next start reads, even when the entries were first written by a
  // process that never proxied (here: this instance's own start, before the request).
  it.skipIf(typeof (module as { enableCompileCache?: unknown }).enableCompileCache === 'function')(
    'after its first proxied answer, writes the code cache warm entries the next start runs',
    async () => {
      const dataDir = await tempDir();
      await writePointedConfig(dataDir, upstream.url);
      const cacheDir = path.join(dataDir, 'code-cache');
      const env = { ...cliEnv().env, SHIMMY_CODE_CACHE_DIR: cacheDir };
      const warm = async () =>
        (await fs.readdir(cacheDir).catch(() => [] as string[])).filter((f) => f.endsWith('.warm.v8'));
      /** One `serve` in `dataDir`: started, `during` it, then stopped (SIGTERM) however it went. */
      const serveOnce = async (during: (served: ReturnType<typeof spawnServe>) => Promise<void>) => {
        const served = spawnServe({ dataDir, port: await freePort(), env });
        try {
          await served.listening;
          await during(served);
        } finally {
          served.child.kill('SIGTERM');
          await served.exited;
        }
      };
      /** A tool named `name`, and one proxied answer for it. */
      const answerOnce = async (name: string) => {
        const admin = await connectAdmin(dataDir);
        const { token } = await admin.call('createTool', { body: { name, limits: { dailyUsd: 5 } } });
        expect((await chat(admin.url, token)).status).toBe(200);
      };
      // A first start that never proxies writes cold entries only.
      await serveOnce(async () => undefined);
      expect((await fs.readdir(cacheDir)).some((f) => /^proxy-handler-.*\.v8$/.test(f))).toBe(true);
      expect(await warm()).toEqual([]);
      await serveOnce(async (served) => {
        await answerOnce('warm');
        // Written at the first quiet moment after that answer, while the instance runs on.
        await expect
          .poll(async () => (await warm()).some((f) => f.startsWith('proxy-handler-')), {
            timeout: 20_000,
            interval: 100,
          })
          .toBe(true);
        expect(served.child.exitCode).toBe(null);
      });
      // The next start runs them: V8 accepts an entry only under the flags it was made with, and
      // one it refuses is rewritten (a new file). A V8 flag set after the bundle compiled (the
      // core's heap growth, once) made every start refuse every entry and compile all over again.
      const identity = async () =>
        Promise.all(
          (await warm()).sort().map(async (f) => {
            const st = await fs.stat(path.join(cacheDir, f));
            return `${f} ${st.ino} ${st.mtimeMs}`;
          }),
        );
      const written = await identity();
      await serveOnce(() => answerOnce('next'));
      expect(await identity()).toEqual(written);
    },
  );
});
