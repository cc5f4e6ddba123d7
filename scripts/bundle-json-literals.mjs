// A bundler plugin: a large top-level data literal in a package (@pydantic/genai-prices' 800 kB
// provider list, written as one JavaScript array) becomes `JSON.parse` of the same data, read from
// a file of its own beside the bundle. Why JSON: V8 parses and builds a JSON string several times
// faster than the same data as code — the catalog was ~650 kB of the bundle that `serve` compiles
// and runs before its first answer (issue 16). Why a file of its own, not a string literal in the
// bundle (as until round 18): a literal is paid for on every start whether or not it is parsed —
// bin/code-cache.js reads, hashes and decodes the whole bundle file, V8 keeps the script's source
// for the process's life, and once the literal's function has run, the code cache holds the string
// again and every later start deserializes it: ~1 MB of the proxy chunk's 1.57 MB cache entry and
// ~600 page faults of `serve`'s start-up (~15 us each on the bench VM). A file is read only when
// the data is used. The file is ASCII (non-ASCII escaped as \uXXXX), read as latin1: a one-byte
// string, which JSON.parse reads fastest. The value is checked to survive a JSON round trip
// unchanged, else left as it was.
import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';

/** Literals smaller than this stay code: below it JSON.parse gains nothing worth a transform. */
const MIN_CHARS = 50_000;

/** The data as JSON text holding only ASCII. */
const asciiJson = (value) =>
  JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );

/** Reads the data file `name` from the bundle's own dir (CommonJS output: `__dirname`). */
const READ = (name) =>
  `JSON.parse(__shimmyReadFileSync(__shimmyJoin(__dirname, ${JSON.stringify(name)}), "latin1"))`;
// Appended, not prepended (imports are hoisted either way): bundle-genai-prices.mjs edits the module
// by where its declarations start.
const IMPORTS =
  '\nimport { readFileSync as __shimmyReadFileSync } from "node:fs";\nimport { join as __shimmyJoin } from "node:path";\n';

export function jsonLiterals({ include = /node_modules/ } = {}) {
  return {
    name: 'shimmy-json-literals',
    transform(code, id) {
      if (!include.test(id) || code.length < MIN_CHARS) return null;
      const ast = this.parse(code);
      const edits = [];
      for (const stmt of ast.body) {
        if (stmt.type !== 'VariableDeclaration') continue;
        for (const d of stmt.declarations) {
          const init = d.init;
          if (!init || (init.type !== 'ArrayExpression' && init.type !== 'ObjectExpression')) continue;
          if (init.end - init.start < MIN_CHARS) continue;
          const text = code.slice(init.start, init.end);
          let value;
          try {
            value = new Function(`return (${text});`)();
          } catch {
            continue; // refers to something outside itself: not plain data
          }
          const json = asciiJson(value);
          if (json === undefined || !isDeepStrictEqual(JSON.parse(json), value)) continue;
          const name = `data-${createHash('sha256').update(json).digest('hex').slice(0, 12)}.json`;
          this.emitFile({ type: 'asset', fileName: name, source: json });
          edits.push({ start: init.start, end: init.end, text: READ(name) });
        }
      }
      if (edits.length === 0) return null;
      let out = code;
      for (const e of edits.sort((a, b) => b.start - a.start))
        out = out.slice(0, e.start) + e.text + out.slice(e.end);
      return { code: out + IMPORTS, map: null };
    },
  };
}
