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

// A second plugin, for undici's HTTP/1 client (`lib/dispatcher/client-h1.js`): it compiles its HTTP
// parser (llhttp, ~54 kB of WebAssembly) synchronously on the event loop when the first connection
// is made, and with V8's lazy compilation each parser function is compiled again on its first call
// — all inside `serve`'s first proxied request (issue 16: ~13 ms of that request's CPU at load 4-5).
// Edited, the module starts compiling the SIMD parser in the background (WebAssembly.compile, on
// V8's worker threads) when it loads, well before the first connection, and lazyllhttp() takes that
// module if it is ready and SIMD is to be used (its own rule, unchanged); otherwise it compiles as
// before. bin/shimmy.js and start-core.ts set --no-wasm-lazy-compilation (V8_FLAGS), so the
// background compile includes every function.
const PRECOMPILE = [
  {
    from: "function lazyllhttp () {\n  const llhttpWasmData = process.env.JEST_WORKER_ID ? require('../llhttp/llhttp-wasm.js') : undefined\n",
    to: "let precompiledSimd\nWebAssembly.compile(require('../llhttp/llhttp_simd-wasm.js')).then((m) => { precompiledSimd = m }, () => {})\nfunction lazyllhttp () {\n  const llhttpWasmData = process.env.JEST_WORKER_ID ? require('../llhttp/llhttp-wasm.js') : undefined\n",
  },
  {
    from: "      mod = new WebAssembly.Module(require('../llhttp/llhttp_simd-wasm.js'))\n",
    to: "      mod = precompiledSimd ?? new WebAssembly.Module(require('../llhttp/llhttp_simd-wasm.js'))\n",
  },
];

export function undiciPrecompileLlhttp() {
  return {
    name: 'shimmy-undici-precompile-llhttp',
    transform(code, id) {
      if (!/[\\/]undici[\\/]lib[\\/]dispatcher[\\/]client-h1\.js$/.test(id)) return null;
      if (!PRECOMPILE.every((e) => code.split(e.from).length === 2)) {
        this.warn('undici: "HTTP parser compiled in the background" not applied (its code changed)');
        return null;
      }
      let out = code;
      for (const e of PRECOMPILE) out = out.replace(e.from, () => e.to);
      return { code: out, map: null };
    },
  };
}

// A third, for the same file: undici keeps a request's body after writing it until the answer ends —
// on the Request and in the `abort` closure of the function that wrote it — and an agent's request
// is its whole conversation (100 kB and more) held by every open stream: most of what an open stream
// cost beyond raw Node with agent-sized requests (issue 16, memory per open stream). Once written,
// a non-idempotent request (Shimmy's POSTs) is never written again: undici pipelines none behind
// another, and a connection that fails fails it rather than resending it. So a Buffer body is let go
// as soon as it is handed to the socket (which keeps its own reference until the write completes).
// `abort` reads it only to destroy a stream body, a no-op for a Buffer.
const DROP_SENT_BODY = {
  from: '  } else if (util.isBuffer(body)) {\n    writeBuffer(abort, body, client, request, socket, contentLength, header, expectsPayload)\n',
  to: '  } else if (util.isBuffer(body)) {\n    writeBuffer(abort, body, client, request, socket, contentLength, header, expectsPayload)\n    if (!request.idempotent) { body = null; request.body = null }\n',
};

export function undiciDropSentBody() {
  return {
    name: 'shimmy-undici-drop-sent-body',
    transform(code, id) {
      if (!/[\\/]undici[\\/]lib[\\/]dispatcher[\\/]client-h1\.js$/.test(id)) return null;
      if (code.split(DROP_SENT_BODY.from).length !== 2) {
        this.warn('undici: "a written body let go" not applied (its code changed)');
        return null;
      }
      return { code: code.replace(DROP_SENT_BODY.from, () => DROP_SENT_BODY.to), map: null };
    },
  };
}
