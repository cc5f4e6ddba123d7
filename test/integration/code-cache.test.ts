// bin/code-cache.js: on Node 20 the CLI's bundle is compiled with V8's code cache, kept per bundle
// file and content hash in the user's cache dir (issue 16: `serve`'s start-up). Runs the built
// CLI (`npm run build:core`) for real; what is checked is what a user sees: the same output, the
// cache written once, owner-only, a damaged entry replaced rather than trusted, a dir others may
// write to never used, a changed file never given another content's code.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import module from 'node:module';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runCli } from '../support/cli-process.js';

const nodeCaches = typeof (module as { enableCompileCache?: unknown }).enableCompileCache === 'function';
let dir: string;
let cacheDir: string;
const env = () => ({ ...cliEnv().env, SHIMMY_CODE_CACHE_DIR: cacheDir });
const entries = async () => (await fs.readdir(cacheDir)).filter((f) => f.endsWith('.v8')).sort();

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'shimmy-code-cache-'));
  cacheDir = path.join(dir, 'cache');
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

// Node 22.1+ caches compiled code itself (module.enableCompileCache); this cache is Node 20's.
describe.skipIf(nodeCaches)('the CLI bundle code cache (Node 20)', { timeout: 60_000 }, () => {
  it('is written on the first run, owner-only, and the output is what an uncached run prints', async () => {
    const uncached = await runCli(['--help'], { env: { ...env(), SHIMMY_CODE_CACHE: 'off' } });
    await expect(fs.stat(cacheDir)).rejects.toThrow();
    const first = await runCli(['--help'], { env: env() });
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(uncached.stdout);
    const files = await entries();
    expect(files.some((f) => f.startsWith('shimmy.cjs.'))).toBe(true);
    expect((await fs.stat(cacheDir)).mode & 0o777).toBe(0o700);
    for (const f of files) expect((await fs.stat(path.join(cacheDir, f))).mode & 0o777).toBe(0o600);
  });

  it('is reused as it is by the next run', async () => {
    const files = await entries();
    const before = await Promise.all(files.map((f) => fs.readFile(path.join(cacheDir, f))));
    const second = await runCli(['--help'], { env: env() });
    expect(second.code).toBe(0);
    expect(await entries()).toEqual(files);
    const after = await Promise.all(files.map((f) => fs.readFile(path.join(cacheDir, f))));
    after.forEach((bytes, i) => expect(bytes.equals(before[i]!)).toBe(true));
  });

  it('replaces a damaged entry instead of running it', async () => {
    const [entry] = (await entries()).filter((f) => f.startsWith('shimmy.cjs.'));
    const file = path.join(cacheDir, entry!);
    const garbage = Buffer.alloc((await fs.stat(file)).size, 0x5a);
    await fs.writeFile(file, garbage);
    const run = await runCli(['--version'], { env: env() });
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe('0.1.0');
    const rewritten = await fs.readFile(file);
    expect(rewritten.equals(garbage)).toBe(false);
  });

  it('does not run an entry whose code was altered behind an intact header', async () => {
    // V8 checks its header (version, flags, source length) but not the code itself in release
    // builds: only the entry's own checksum can tell.
    const [entry] = (await entries()).filter((f) => f.startsWith('shimmy.cjs.'));
    const file = path.join(cacheDir, entry!);
    const altered = await fs.readFile(file);
    for (let i = Math.floor(altered.length / 2); i < altered.length - 64; i += 997) altered[i]! ^= 0xff;
    await fs.writeFile(file, altered);
    const run = await runCli(['--help'], { env: env() });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/serve/);
    expect((await fs.readFile(file)).equals(altered)).toBe(false);
  });

  it('never uses a cache dir that others can write to', async () => {
    const shared = path.join(dir, 'shared');
    await fs.mkdir(shared, { mode: 0o777 });
    await fs.chmod(shared, 0o777);
    const run = await runCli(['--help'], { env: { ...env(), SHIMMY_CODE_CACHE_DIR: shared } });
    expect(run.code).toBe(0);
    expect(await fs.readdir(shared)).toEqual([]);
  });

  it('keys an entry by the file it compiled: a changed file never gets the old code', async () => {
    const bundleDir = path.join(dir, 'bundle') + path.sep;
    const own = path.join(dir, 'own-cache');
    await fs.mkdir(bundleDir);
    const codeCache = fileURLToPath(new URL('../../bin/code-cache.js', import.meta.url));
    const load = () => {
      const script = `import { installCodeCache } from ${JSON.stringify(codeCache)};
import { createRequire } from 'node:module';
installCodeCache(${JSON.stringify(bundleDir)}, ${JSON.stringify(own)});
console.log(createRequire(import.meta.url)(${JSON.stringify(bundleDir + 'part.cjs')}).answer());`;
      const out = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
      expect(out.status, out.stderr).toBe(0);
      return out.stdout.trim();
    };
    await fs.writeFile(path.join(bundleDir, 'part.cjs'), 'exports.answer = () => "first build";\n');
    expect(load()).toBe('first build');
    expect(load()).toBe('first build');
    expect(await fs.readdir(own)).toHaveLength(1);
    // Same length, so V8's own check (the source's length) would not tell them apart.
    await fs.writeFile(path.join(bundleDir, 'part.cjs'), 'exports.answer = () => "later build";\n');
    expect(load()).toBe('later build');
    expect(load()).toBe('later build');
    expect(await fs.readdir(own)).toHaveLength(2);
  });

  it('gives a file the code of its own path: an identical file elsewhere gets its own entry and stack traces', async () => {
    const own = path.join(dir, 'paths-cache');
    const codeCache = fileURLToPath(new URL('../../bin/code-cache.js', import.meta.url));
    const frame = async (name: string) => {
      const bundleDir = path.join(dir, name) + path.sep;
      await fs.mkdir(bundleDir, { recursive: true });
      await fs.writeFile(
        path.join(bundleDir, 'part.cjs'),
        'exports.where = () => new Error("here").stack.split("\\n")[1];\n',
      );
      const script = `import { installCodeCache } from ${JSON.stringify(codeCache)};
import { createRequire } from 'node:module';
installCodeCache(${JSON.stringify(bundleDir)}, ${JSON.stringify(own)});
console.log(createRequire(import.meta.url)(${JSON.stringify(bundleDir + 'part.cjs')}).where());`;
      const out = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
      expect(out.status, out.stderr).toBe(0);
      return out.stdout.trim();
    };
    expect(await frame('first-install')).toContain(`first-install${path.sep}part.cjs`);
    expect(await frame('first-install')).toContain(`first-install${path.sep}part.cjs`); // from its entry
    // The same content at another path: before, it ran the first one's entry and its stack said
    // first-install/part.cjs.
    expect(await frame('second-install')).toContain(`second-install${path.sep}part.cjs`);
    expect(await frame('second-install')).toContain(`second-install${path.sep}part.cjs`);
    expect(await fs.readdir(own)).toHaveLength(2);
  });

  it('writes a warm entry once the core has answered, with the code that ran by then, and keeps it', async () => {
    const bundleDir = path.join(dir, 'warm-bundle') + path.sep;
    const own = path.join(dir, 'warm-cache');
    await fs.mkdir(bundleDir);
    const codeCache = fileURLToPath(new URL('../../bin/code-cache.js', import.meta.url));
    // `answer` stands for a first request's code: compiled only when called.
    const body = Array.from(
      { length: 200 },
      (_, i) => `t += Math.imul(t, ${i + 3}) ^ (t >>> ${i % 31});`,
    ).join('');
    await fs.writeFile(
      path.join(bundleDir, 'part.cjs'),
      `exports.start = () => 1;\nexports.answer = (t) => { ${body} return t; };\n`,
    );
    const run = (events: string) => {
      const script = `import { installCodeCache } from ${JSON.stringify(codeCache)};
import { createRequire } from 'node:module';
import fs from 'node:fs';
installCodeCache(${JSON.stringify(bundleDir)}, ${JSON.stringify(own)});
const part = createRequire(import.meta.url)(${JSON.stringify(bundleDir + 'part.cjs')});
part.start();
${events}
console.log(JSON.stringify(fs.existsSync(${JSON.stringify(own)}) ? fs.readdirSync(${JSON.stringify(own)}) : []));`;
      const out = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
      expect(out.status, out.stderr).toBe(0);
      return JSON.parse(out.stdout) as string[];
    };
    const listed = async () => (await fs.readdir(own)).sort();
    const size = async (f: string) => (await fs.stat(path.join(own, f))).size;
    // A process that never answered: a cold entry, at exit.
    expect(run('')).toEqual([]);
    const [cold] = await listed();
    expect(cold).toMatch(/^part\.cjs\.[0-9a-f]{32}\.v8$/);
    // One that answered: the warm entry is written at the quiet moment (before exit) and replaces it.
    const answered = `part.answer(7); process.emit('shimmy:first-answer'); process.emit('shimmy:quiet');`;
    const atQuiet = run(answered);
    const warm = cold!.replace(/\.v8$/, '.warm.v8');
    expect(atQuiet).toEqual([warm]);
    expect(await listed()).toEqual([warm]);
    // It holds the answer's code too: larger than the cold entry was.
    await fs.rm(own, { recursive: true });
    run('');
    const coldSize = await size(cold!);
    await fs.rm(own, { recursive: true });
    run(`part.answer(7); process.emit('shimmy:first-answer');`); // no quiet moment: written at exit
    expect(await listed()).toEqual([warm]);
    expect(await size(warm)).toBeGreaterThan(coldSize + 500);
    // A warm entry is never rewritten.
    const bytes = await fs.readFile(path.join(own, warm));
    run(answered);
    expect(await listed()).toEqual([warm]);
    expect((await fs.readFile(path.join(own, warm))).equals(bytes)).toBe(true);
  });
});
