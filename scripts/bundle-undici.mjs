// A bundler plugin for undici's HTTP/1 client, which requires its HTTP/2 client when it is loaded
// (`lib/dispatcher/client.js`: `const connectH2 = require('./client-h2.js')`), and that requires
// `node:http2` — Node then compiles http2 and tls, ~10 ms of `serve`'s start-up CPU before its first
// answer (issue 16; measured on the bench VM, `require('node:http2')` after `node:http`). Shimmy's
// upstream agent never offers h2 (upstream/upstream-client.ts sets no `allowH2`), so no connection
// takes that path; when one does, the same function is required then, once.
// The edit is an exact match on the package's published code (7.30.2); a version whose code
// differs is bundled as it is, with a build warning.
const EDIT = {
  from: "const connectH2 = require('./client-h2.js')\n",
  to: "const connectH2 = (client, socket) => require('./client-h2.js')(client, socket)\n",
};

export function undiciLazyHttp2() {
  return {
    name: 'shimmy-undici-lazy-http2',
    transform(code, id) {
      if (!/[\\/]undici[\\/]lib[\\/]dispatcher[\\/]client\.js$/.test(id)) return null;
      if (code.split(EDIT.from).length !== 2) {
        this.warn('undici: "HTTP/2 client required on first use" not applied (its code changed)');
        return null;
      }
      return { code: code.replace(EDIT.from, () => EDIT.to), map: null };
    },
  };
}
