// A bundler plugin: a large top-level data literal in a package (@pydantic/genai-prices' 800 kB
// provider list, written as one JavaScript array) becomes `JSON.parse('…')` of the same data. Why:
// V8 parses and builds a JSON string several times faster than the same data as code — the
// catalog was ~650 kB of the bundle that `serve` compiles and runs before its first answer
// (issue 16). The value is checked to survive a JSON round trip unchanged, else left as it was.
import { isDeepStrictEqual } from 'node:util';

/** Literals smaller than this stay code: below it JSON.parse gains nothing worth a transform. */
const MIN_CHARS = 50_000;

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
          const json = JSON.stringify(value);
          if (json === undefined || !isDeepStrictEqual(JSON.parse(json), value)) continue;
          edits.push({ start: init.start, end: init.end, text: `JSON.parse(${JSON.stringify(json)})` });
        }
      }
      if (edits.length === 0) return null;
      let out = code;
      for (const e of edits.sort((a, b) => b.start - a.start))
        out = out.slice(0, e.start) + e.text + out.slice(e.end);
      return { code: out, map: null };
    },
  };
}
