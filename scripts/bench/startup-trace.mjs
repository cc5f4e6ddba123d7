// `node --import ./startup-trace.mjs …`: appends every package the process loads (ESM imports and
// CommonJS requires by bare name) to $STARTUP_TRACE_FILE, one per line, so the start-up bench can
// say which packages `serve` loads before it answers. Only for a traced run: it slows loading down.
import { appendFileSync } from 'node:fs';
import Module, { register } from 'node:module';

const file = process.env.STARTUP_TRACE_FILE;
if (file) {
  const note = (spec) => {
    if (/^[@a-z]/i.test(spec) && !spec.startsWith('node:')) appendFileSync(file, `${spec}\n`);
  };
  const load = Module._load;
  Module._load = function (request, ...rest) {
    note(request);
    return load.call(this, request, ...rest);
  };
  // ESM resolution runs on the loader's own thread: the hook writes the same file.
  register(
    'data:text/javascript,' +
      encodeURIComponent(`
import { appendFileSync } from 'node:fs';
export async function resolve(spec, ctx, next) {
  if (/^[@a-z]/i.test(spec) && !spec.startsWith('node:') && !spec.includes(':'))
    appendFileSync(${JSON.stringify(file)}, spec + '\\n');
  return next(spec, ctx);
}`),
  );
}
