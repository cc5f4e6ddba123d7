// V8's code cache for the CLI's bundle when Node's own compile cache is missing (Node < 22.1) or
// not working. Compiling the ~1.7 MB that `serve` loads before its first answer (undici, kysely,
// zod, the price catalog, the core) was ~250 ms of its start-up CPU on the 2-core bench VM; with
// V8's cached code it is a fraction of that (issue 16). Node only offers this for scripts
// (vm.Script's cachedData), so the bundle is CommonJS (scripts/bundle-cli.mjs) and each of its
// files is compiled here, in Module.prototype._compile, the way Node's own loader does (same
// wrapper, same arguments).
//
// Cached code is run as it is, so an entry is used only when it is certainly this build's:
// - one file per bundle file, keyed by the file's content and the Node, V8 and Electron versions,
//   so a rebuilt bundle or another runtime never meets another build's code;
// - in an owner-only dir owned by this user (another user's or a shared dir is not used at all);
// - written whole (temp file, then rename) and read back only if its own SHA-256 matches: V8 checks
//   its header but, in release builds, not the code itself (verify_snapshot_checksum is off).
// A file without a usable entry gets one written when the process exits, holding every function
// compiled by then. What a start needs most is its first proxied request's code (the upstream
// client, pricing, the meters: ~30-40 ms of compiling on that request otherwise), which a process
// that never proxied (`shimmy tool add`'s first `serve`, say) does not have: so an entry is
// written once more, as a "warm" one, by the first process that answered a proxied request — the
// core emits FIRST_ANSWER then, and QUIET at the next quiet moment, when the warm entries are
// written (at exit at the latest). A warm entry is never rewritten.
// Anything going wrong falls back to Node's own compile: the cache only saves time.
// CommonJS (bin/package.json), like bin/shimmy.js: see there.
/* eslint-disable @typescript-eslint/no-require-imports */
const { isAscii } = require('node:buffer');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const Module = require('node:module');
const os = require('node:os');
const path = require('node:path');
const vm = require('node:vm');

/** Old builds' entries go after this long unused (checked only when an entry is written). */
const STALE_MS = 30 * 86_400_000;
/** Process events from the core (main/core/start-core.ts): its first proxied answer is out; it
 *  is quiet after it. */
const FIRST_ANSWER = 'shimmy:first-answer';
const QUIET = 'shimmy:quiet';
/** An entry: MAGIC, the SHA-256 of the rest, then V8's cached data. */
const MAGIC = Buffer.from('shimmy-v8-cache1');
const HEADER = MAGIC.length + 32;

/** Where the cached code lives: the OS's per-user cache dir. */
function codeCacheDir(env = process.env) {
  if (env.SHIMMY_CODE_CACHE_DIR) return env.SHIMMY_CODE_CACHE_DIR;
  if (process.platform === 'win32')
    return path.join(env.LOCALAPPDATA || path.join(os.homedir(), 'AppData', 'Local'), 'shimmy', 'code-cache');
  if (process.platform === 'darwin')
    return path.join(os.homedir(), 'Library', 'Caches', 'shimmy', 'code-cache');
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'shimmy', 'code-cache');
}

/** Whether `dir` is ours alone (POSIX: owned by this user, no access for group or others).
 *  Windows' per-user LOCALAPPDATA has no such bits: there the location is what keeps it private. */
function trusted(dir) {
  if (process.platform === 'win32') return true;
  const st = fs.statSync(dir);
  return st.isDirectory() && st.uid === process.getuid() && (st.mode & 0o077) === 0;
}

/**
 * One buffer that the bundle's files and their entries are read into in turn: each read is done
 * with before the next (the file made into its string, the entry consumed by vm.Script, which
 * deserializes it there and then). Fresh memory costs a page fault per 4 KiB first touched (~15 us
 * on the bench VM): a buffer per read — each ~1-1.6 MB one a fresh mmap — faulted ~700 pages
 * more of `serve`'s start-up than reusing one (issue 16). Dropped once the first request has been
 * answered (start-up's loads are done): a later load reads into a buffer of its own.
 */
let scratch;
let keepScratch = true;
function readWhole(file) {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    let buf = scratch;
    if (buf === undefined || buf.length < size) {
      buf = Buffer.allocUnsafeSlow(keepScratch ? Math.max(size, 2 << 20) : size);
      if (keepScratch) scratch = buf;
    }
    let n = 0;
    for (let r = 1; n < size && r > 0; n += r) r = fs.readSync(fd, buf, n, size - n, n);
    return buf.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

/** V8's cached data in `file`, or undefined when there is none or it is not intact. Valid until
 *  the next readWhole(). */
function readEntry(file) {
  let bytes;
  try {
    bytes = readWhole(file);
  } catch {
    return undefined;
  }
  if (bytes.length <= HEADER || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const data = bytes.subarray(HEADER);
  const sum = createHash('sha256').update(data).digest();
  return sum.equals(bytes.subarray(MAGIC.length, HEADER)) ? data : undefined;
}

/** Compiles every CommonJS file under `bundleDir` with V8's code cache from `dir`. */
function installCodeCache(bundleDir, dir = codeCacheDir()) {
  const compile = Module.prototype._compile;
  /** Scripts without a warm entry: { script, base (entry path without `.v8`), cold: had a usable
   *  cold entry }. */
  const unsaved = [];
  let warm = false;
  /** undefined until the first bundle file: whether `dir` may be read (a missing dir: nothing to read). */
  let readable;
  /** A bundle file's key, from its bytes as read below (filename -> SHA-256 hex). */
  const hashed = new Map();
  // The file's path is part of the key: V8's cached code carries the script's name it was made
  // with, so an entry made from another checkout's identical file (another install, a moved one)
  // gave stack traces, profiles and source maps that checkout's paths.
  const keyOf = (filename, content) =>
    createHash('sha256')
      .update(
        `${process.version}\0${process.versions.v8}\0${process.versions.electron ?? ''}\0${process.arch}\0${filename}\0`,
      )
      .update(content)
      .digest('hex');
  // The bundle's files are read here rather than by Node's loader: its readFileSync(file, 'utf8')
  // took ~4x as long as reading the bytes and decoding them (1.2 MB: ~24 vs ~6 ms on the bench VM),
  // and hashing the bytes is ~5x cheaper than hashing the string (which is encoded first). The
  // bundle is ASCII (scripts/bundle-cli.mjs), which decodes to the one-byte string V8 parses best;
  // the hash of the bytes is the hash of the string's UTF-8, so keys are the same either way.
  const js = Module._extensions['.js'];
  Module._extensions['.js'] = function (module, filename) {
    if (!filename.startsWith(bundleDir) || !filename.endsWith('.cjs')) return js.call(this, module, filename);
    const bytes = readWhole(filename);
    hashed.set(filename, keyOf(filename, bytes));
    module._compile(bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8'), filename);
  };
  Module.prototype._compile = function (content, filename) {
    if (!filename.startsWith(bundleDir)) return compile.call(this, content, filename);
    let script;
    try {
      readable ??= fs.existsSync(dir) && trusted(dir);
      const key = hashed.get(filename) ?? keyOf(filename, content);
      hashed.delete(filename);
      const base = path.join(dir, `${path.basename(filename)}.${key.slice(0, 32)}`);
      const warmData = readable ? readEntry(`${base}.warm.v8`) : undefined;
      const cachedData = warmData ?? (readable ? readEntry(`${base}.v8`) : undefined);
      script = new vm.Script(Module.wrap(content), {
        filename,
        cachedData,
        // The bundle has no `import()` (scripts/bundle-cli.mjs checks): V8 drops a script's
        // dynamic-import callback when its code comes from the cache. This keeps any other
        // import() (say, a future one) failing loudly rather than hanging.
        importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER,
      });
      const usable = cachedData !== undefined && !script.cachedDataRejected;
      // A warm entry V8 refuses (another V8 flag, say) goes, so a new one can take its place.
      if (warmData !== undefined && !usable) fs.rmSync(`${base}.warm.v8`, { force: true });
      if (warmData === undefined || !usable) unsaved.push({ script, base, cold: usable });
    } catch {
      return compile.call(this, content, filename);
    }
    const wrapper = script.runInThisContext({ displayErrors: true });
    const require = Module.createRequire(filename);
    return wrapper.call(this.exports, this.exports, require, this, filename, path.dirname(filename));
  };
  const saveAll = () => save(unsaved.splice(0), dir, warm);
  process.once(FIRST_ANSWER, () => {
    warm = true;
    keepScratch = false;
    scratch = undefined;
  });
  process.once(QUIET, () => warm && saveAll());
  process.once('exit', saveAll);
}

/** Warm: every script gets a warm entry (its cold one goes); else only those without any entry. */
function save(unsaved, dir, warm) {
  const todo = warm ? unsaved : unsaved.filter((u) => !u.cold);
  if (todo.length === 0) return;
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!trusted(dir)) return;
    for (const { script, base } of todo) {
      const file = warm ? `${base}.warm.v8` : `${base}.v8`;
      const data = script.createCachedData();
      const tmp = `${file}.${process.pid}.tmp`;
      const sum = createHash('sha256').update(data).digest();
      fs.writeFileSync(tmp, Buffer.concat([MAGIC, sum, data]), { mode: 0o600 });
      fs.renameSync(tmp, file);
      if (warm) fs.rmSync(`${base}.v8`, { force: true });
    }
    const now = Date.now();
    for (const name of fs.readdirSync(dir)) {
      const f = path.join(dir, name);
      const st = fs.statSync(f);
      if (now - st.atimeMs > STALE_MS && now - st.mtimeMs > STALE_MS) fs.rmSync(f, { force: true });
    }
  } catch {
    // A read-only or full home: start-up just stays uncached.
  }
}

exports.FIRST_ANSWER = FIRST_ANSWER;
exports.QUIET = QUIET;
exports.codeCacheDir = codeCacheDir;
exports.installCodeCache = installCodeCache;
