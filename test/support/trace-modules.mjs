// `node --import ./trace-modules.mjs …`: appends the path of every JavaScript file the process
// loads (ES modules and CommonJS alike) to $SHIMMY_TRACE_MODULES, one per line, so a test can say
// what a real `shimmy` process read. ES modules are loaded on the loader's own thread: the hook
// registered there writes the same file.
// With $SHIMMY_TRACE_BUILTINS, also each built-in module a file require()s first, as
// `<builtin> <requiring file>`, and `first-answer` once the core has answered its first proxied
// request: what a start loads before that answer, and for whom.
import { appendFileSync } from 'node:fs';
import Module, { register } from 'node:module';

const builtins = process.env.SHIMMY_TRACE_BUILTINS;
if (builtins) {
  const seen = new Set();
  const requireLoad = Module._load;
  Module._load = function (request, parent, ...rest) {
    const name = request.replace(/^node:/, '');
    if (Module.isBuiltin(request) && !seen.has(name)) {
      seen.add(name);
      appendFileSync(builtins, `${name} ${parent?.filename ?? ''}\n`);
    }
    return requireLoad.call(this, request, parent, ...rest);
  };
  // Emitted by main/core/start-core.ts (bin/code-cache.js listens for it too).
  process.once('shimmy:first-answer', () => appendFileSync(builtins, 'first-answer\n'));
}

const file = process.env.SHIMMY_TRACE_MODULES;
if (file) {
  // Both load and _compile: bin/code-cache.js replaces _compile for the bundle's files (it compiles
  // them itself, with V8's cached code), and a CommonJS file imported from an ES module may be
  // compiled without going through load.
  const load = Module.prototype.load;
  Module.prototype.load = function (filename) {
    appendFileSync(file, `${filename}\n`);
    return load.call(this, filename);
  };
  const compile = Module.prototype._compile;
  Module.prototype._compile = function (content, filename) {
    appendFileSync(file, `${filename}\n`);
    return compile.call(this, content, filename);
  };
  register(
    'data:text/javascript,' +
      encodeURIComponent(`
import { appendFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
export async function load(url, context, next) {
  if (url.startsWith('file:')) appendFileSync(${JSON.stringify(file)}, fileURLToPath(url) + '\\n');
  return next(url, context);
}`),
  );
}
