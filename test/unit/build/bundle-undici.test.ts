// The bundle requires undici's HTTP/2 client on first use instead of when undici's HTTP/1 client
// loads, so `serve` does not compile node:http2 and node:tls before its first answer (issue 16;
// scripts/bundle-undici.mjs). These check that the edit still applies to the installed package,
// and that undici edited so answers a request through Shimmy's kind of agent (no allowH2) without
// ever loading node:http2 — while the published undici loads it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script, no types
import * as undiciEdits from '../../../scripts/bundle-undici.mjs';

const { undiciDropSentBody, undiciLazyHttp2, undiciPrecompileLlhttp } = undiciEdits as {
  [name in 'undiciDropSentBody' | 'undiciLazyHttp2' | 'undiciPrecompileLlhttp']: () => unknown;
};

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => fs.rm(d, { recursive: true, force: true }))));

const undiciDir = path.dirname(createRequire(import.meta.url).resolve('undici/package.json'));
const clientFile = path.join(undiciDir, 'lib', 'dispatcher', 'client.js');

/** An edit (a bundler plugin of scripts/bundle-undici.mjs) applied to one file's code: the edited
 *  code (undefined: left as it is) and the warnings it gave. */
function applyEdit(
  edit: () => unknown,
  code: string,
  id: string,
): { code: string | undefined; warnings: string[] } {
  const warnings: string[] = [];
  const plugin = edit() as {
    transform(this: { warn(m: string): void }, code: string, id: string): { code: string } | null;
  };
  const out = plugin.transform.call({ warn: (m) => warnings.push(m) }, code, id);
  return { code: out?.code, warnings };
}

const transform = (code: string, id = clientFile) => applyEdit(undiciLazyHttp2, code, id);

/** Runs one GET through an undici Agent (from `dir`) against a loopback server, in a fresh process:
 *  the answer, and whether node:http2 was loaded by the end. */
function requestThrough(dir: string): { body: string; http2: boolean } {
  const script = `
const http = require('node:http');
const Agent = require(${JSON.stringify(path.join(dir, 'lib', 'dispatcher', 'agent.js'))});
const server = http.createServer((req, res) => res.end('pong')).listen(0, '127.0.0.1', async () => {
  const agent = new Agent({ keepAliveTimeout: 30000, connections: 4, pipelining: 1 });
  // dispatch(), as upstream/upstream-client.ts does (request() is the index's mixin).
  const text = await new Promise((resolve, reject) => {
    const chunks = [];
    agent.dispatch(
      { origin: 'http://127.0.0.1:' + server.address().port, path: '/', method: 'GET' },
      {
        onConnect() {},
        onHeaders() { return true; },
        onData(chunk) { chunks.push(chunk); return true; },
        onComplete() { resolve(Buffer.concat(chunks).toString()); },
        onError: reject,
      },
    );
  });
  await agent.close();
  server.close();
  console.log(JSON.stringify({ body: text, http2: process.moduleLoadList.some((m) => m === 'NativeModule http2') }));
});`;
  const out = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  expect(out.status, out.stderr).toBe(0);
  return JSON.parse(out.stdout) as { body: string; http2: boolean };
}

describe('bundle: undici HTTP/2 client on first use', { timeout: 60_000 }, () => {
  it('the edit applies to the installed package', async () => {
    const { code, warnings } = transform(await fs.readFile(clientFile, 'utf8'));
    expect(warnings).toEqual([]);
    expect(code).toContain("(client, socket) => require('./client-h2.js')(client, socket)");
  });

  it('another version’s code is left as it is, with a warning; other files are not touched', () => {
    expect(transform('module.exports = 1;\n')).toEqual({
      code: undefined,
      warnings: ['undici: "HTTP/2 client required on first use" not applied (its code changed)'],
    });
    expect(transform('const connectH2 = 1;\n', path.join(undiciDir, 'lib', 'core', 'util.js'))).toEqual({
      code: undefined,
      warnings: [],
    });
  });

  it('edited, undici answers through an HTTP/1 agent without loading node:http2 (published: it loads it)', async () => {
    const copy = await fs.mkdtemp(path.join(os.tmpdir(), 'shimmy-undici-'));
    dirs.push(copy);
    await fs.cp(undiciDir, copy, { recursive: true });
    const published = requestThrough(copy);
    expect(published).toEqual({ body: 'pong', http2: true });
    const edited = transform(await fs.readFile(clientFile, 'utf8')).code!;
    await fs.writeFile(path.join(copy, 'lib', 'dispatcher', 'client.js'), edited);
    expect(requestThrough(copy)).toEqual({ body: 'pong', http2: false });
  });
});

// The bundle starts compiling undici's HTTP parser (WebAssembly) when its HTTP/1 client loads, on
// V8's threads, instead of on the event loop in the first request (issue 16).
describe('bundle: undici HTTP parser compiled in the background', { timeout: 60_000 }, () => {
  const h1File = path.join(undiciDir, 'lib', 'dispatcher', 'client-h1.js');
  const precompile = (code: string, id = h1File) => applyEdit(undiciPrecompileLlhttp, code, id);

  it('the edit applies to the installed package; another version is left as it is, with a warning', async () => {
    const { code, warnings } = precompile(await fs.readFile(h1File, 'utf8'));
    expect(warnings).toEqual([]);
    expect(code).toContain("WebAssembly.compile(require('../llhttp/llhttp_simd-wasm.js'))");
    expect(code).toContain('mod = precompiledSimd ?? new WebAssembly.Module(');
    expect(precompile('module.exports = 1;\n')).toEqual({
      code: undefined,
      warnings: ['undici: "HTTP parser compiled in the background" not applied (its code changed)'],
    });
  });

  it('edited, undici answers through its agent with the parser compiled in the background', async () => {
    const copy = await fs.mkdtemp(path.join(os.tmpdir(), 'shimmy-undici-'));
    dirs.push(copy);
    await fs.cp(undiciDir, copy, { recursive: true });
    const edited = precompile(await fs.readFile(h1File, 'utf8')).code!;
    await fs.writeFile(path.join(copy, 'lib', 'dispatcher', 'client-h1.js'), edited);
    expect(requestThrough(copy).body).toBe('pong');
  });
});

// The bundle lets undici drop a POST's body once it is written, instead of keeping it until the
// answer ends (issue 16: an agent's 100 kB+ request held by every open stream).
describe('bundle: undici lets a written body go', { timeout: 60_000 }, () => {
  const h1File = path.join(undiciDir, 'lib', 'dispatcher', 'client-h1.js');
  const dropSent = (code: string) => applyEdit(undiciDropSentBody, code, h1File);

  /** One POST of a 200 kB body of its own through an undici Agent (from `dir`), in a fresh process
   *  with --expose-gc, to a server that sends its headers and a first chunk and then holds the
   *  answer open: whether the body's memory is still reachable after a full GC while it is open,
   *  and how many body bytes the server got. */
  function holdsSentBody(dir: string): { kept: boolean; received: number } {
    const script = `
const net = require('node:net');
const Agent = require(${JSON.stringify(path.join(dir, 'lib', 'dispatcher', 'agent.js'))});
let received = -1;
const server = net.createServer((socket) => {
  let bytes = 0;
  socket.on('data', (d) => {
    bytes += d.length;
    if (received < 0 && bytes >= 200000) {
      received = bytes;
      socket.write('HTTP/1.1 200 OK\\r\\ntransfer-encoding: chunked\\r\\n\\r\\n3\\r\\nabc\\r\\n');
    }
  });
}).listen(0, '127.0.0.1', () => {
  const agent = new Agent({ keepAliveTimeout: 30000, connections: 4, pipelining: 1 });
  let sent;
  (() => {
    const body = Buffer.alloc(200000, 0x20);
    sent = new WeakRef(body.buffer);
    agent.dispatch(
      { origin: 'http://127.0.0.1:' + server.address().port, path: '/', method: 'POST', body },
      {
        onConnect() {},
        onHeaders() { return true; },
        onData() {
          setImmediate(() => {
            gc();
            setImmediate(() => {
              gc();
              console.log(JSON.stringify({ kept: sent.deref() !== undefined, received }));
              process.exit(0);
            });
          });
          return true;
        },
        onComplete() {},
        onError(err) { console.error(err); process.exit(1); },
      },
    );
  })();
});`;
    const out = spawnSync(process.execPath, ['--expose-gc', '-e', script], { encoding: 'utf8' });
    expect(out.status, out.stderr).toBe(0);
    return JSON.parse(out.stdout) as { kept: boolean; received: number };
  }

  it('the edit applies to the installed package; another version is left as it is, with a warning', async () => {
    const { code, warnings } = dropSent(await fs.readFile(h1File, 'utf8'));
    expect(warnings).toEqual([]);
    expect(code).toContain('if (!request.idempotent) { body = null; request.body = null }');
    expect(dropSent('module.exports = 1;\n')).toEqual({
      code: undefined,
      warnings: ['undici: "a written body let go" not applied (its code changed)'],
    });
  });

  it('edited, an open answer keeps none of its POST body (published: it keeps it); every byte is sent', async () => {
    const copy = await fs.mkdtemp(path.join(os.tmpdir(), 'shimmy-undici-'));
    dirs.push(copy);
    await fs.cp(undiciDir, copy, { recursive: true });
    expect(holdsSentBody(copy)).toEqual({ kept: true, received: expect.any(Number) });
    const edited = dropSent(await fs.readFile(h1File, 'utf8')).code!;
    await fs.writeFile(path.join(copy, 'lib', 'dispatcher', 'client-h1.js'), edited);
    const after = holdsSentBody(copy);
    expect(after.kept).toBe(false);
    expect(after.received).toBeGreaterThanOrEqual(200_000);
  });
});
