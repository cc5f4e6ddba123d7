// V8's code cache for the CLI's bundle on Node < 22.1, which has no module.enableCompileCache.
// Compiling the ~1.7 MB that `serve` loads before its first answer (undici, kysely, zod, the price
// catalog, the core) was ~250 ms of its start-up CPU on the 2-core bench VM; with V8's cached code
// it is a fraction of that (issue 16). Node only offers this for scripts (vm.Script's cachedData),
// so the bundle is CommonJS (scripts/bundle-cli.mjs) and each of its files is compiled here, in
// Module.prototype._compile, the way Node's own loader does (same wrapper, same arguments).
//
// The cache lives in the user's cache dir (owner-only: cached code is run as is), one file per
// bundle file and content hash, so a rebuilt bundle never meets the code of another build. A file
// without a usable cache gets one written when the process exits, holding every function compiled
// by then. Anything going wrong here falls back to Node's own compile: the cache only ever saves time.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import Module from 'node:module';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';

/** Old builds' entries go after this long unused (checked only when an entry is written). */
const STALE_MS = 30 * 86_400_000;

/** Where the cached code lives: the OS's per-user cache dir. */
export function codeCacheDir(env = process.env) {
  if (env.SHIMMY_CODE_CACHE_DIR) return env.SHIMMY_CODE_CACHE_DIR;
  if (process.platform === 'win32')
    return path.join(env.LOCALAPPDATA || path.join(os.homedir(), 'AppData', 'Local'), 'shimmy', 'code-cache');
  if (process.platform === 'darwin')
    return path.join(os.homedir(), 'Library', 'Caches', 'shimmy', 'code-cache');
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'shimmy', 'code-cache');
}

/** Compiles every CommonJS file under `bundleDir` with V8's code cache from `dir`. */
export function installCodeCache(bundleDir, dir = codeCacheDir()) {
  const compile = Module.prototype._compile;
  /** Scripts that ran without a usable cache: [script, cache file]. */
  const unsaved = [];
  Module.prototype._compile = function (content, filename) {
    if (!filename.startsWith(bundleDir)) return compile.call(this, content, filename);
    let script;
    try {
      const key = createHash('sha256')
        .update(`${process.version}\0${process.arch}\0`)
        .update(content)
        .digest('hex');
      const file = path.join(dir, `${path.basename(filename)}.${key.slice(0, 32)}.v8`);
      let cachedData;
      try {
        cachedData = fs.readFileSync(file);
      } catch {
        // none yet
      }
      script = new vm.Script(Module.wrap(content), {
        filename,
        cachedData,
        // `import()` in the bundle (of a package left outside it) resolves as in any module.
        importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
      });
      if (cachedData === undefined || script.cachedDataRejected) unsaved.push([script, file]);
    } catch {
      return compile.call(this, content, filename);
    }
    const wrapper = script.runInThisContext({ displayErrors: true });
    const require = Module.createRequire(filename);
    return wrapper.call(this.exports, this.exports, require, this, filename, path.dirname(filename));
  };
  process.once('exit', () => save(unsaved, dir));
}

function save(unsaved, dir) {
  if (unsaved.length === 0) return;
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    for (const [script, file] of unsaved) {
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
      fs.renameSync(tmp, file);
    }
    const now = Date.now();
    for (const name of fs.readdirSync(dir)) {
      const f = path.join(dir, name);
      if (now - fs.statSync(f).atimeMs > STALE_MS && now - fs.statSync(f).mtimeMs > STALE_MS)
        fs.rmSync(f, { force: true });
    }
  } catch {
    // A read-only or full home: start-up just stays uncached.
  }
}
