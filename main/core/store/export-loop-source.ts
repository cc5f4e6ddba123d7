// An export's whole page loop, run on a worker thread (SQLite's read worker, Postgres's export
// worker): each page is queried, formatted (CSV by the database, JSONL by fromRow + JSON.stringify
// here) and copied into fixed 64 kB chunks that are transferred to the main thread, which only
// writes them (issue 15: formatting a month of JSONL on the proxy's thread, and receiving each
// page as a fresh buffer, brought on its scavenges and mark-compacts). At most IN_FLIGHT chunks are
// out at once; the main thread hands each back once written — its buffer, to be filled again, when
// the destination has let go of it (a socket or file), else a bare credit — so the worker never
// runs ahead of the destination, and other queries on the same thread run between its turns.
// When the destination is a socket (export-socket.ts: `direct`), the chunks are not sent at all:
// this thread writes them to the socket's descriptor itself, framed for HTTP's chunked coding when
// it is a response, waiting while the socket is full, and turns to other messages between chunks.
// Plain CommonJS text, evaluated inside the worker with `require`, `parentPort`, `fromRow` and
// `runPage` (async (sql, params) → rows) in scope.
/** Messages from the worker about export `exp`. */
export interface ExportReply {
  exp: number;
  chunk?: Uint8Array;
  done?: boolean;
  error?: string;
  code?: string;
}

export const EXPORT_LOOP_SOURCE = `
const EXPORT_CHUNK = 64 * 1024;
const IN_FLIGHT = 4;
const exportsRunning = new Map();
const CANCELLED = Symbol('cancelled');
const exportFs = require('node:fs');
const CRLF = Buffer.from('\\r\\n');
const pause = (ms) => new Promise((r) => setTimeout(r, ms));

// One write to the destination's descriptor at a time, each under WRITING (flags[1]) and only
// while STOP (flags[0]) is down: the main thread raises STOP before Node closes the descriptor.
// The socket is non-blocking: when it is full (EAGAIN), wait 1, 2, 4, 8 ms and try again.
async function writeToSocket(direct, bytes) {
  const flags = direct.flags;
  let wait = 1;
  for (let at = 0; at < bytes.length; ) {
    let n = -1;
    Atomics.store(flags, 1, 1);
    try {
      if (Atomics.load(flags, 0) === 1) throw Object.assign(new Error('export destination closed before the export finished'), { code: 'ERR_STREAM_DESTROYED' });
      n = exportFs.writeSync(direct.fd, bytes, at, bytes.length - at);
    } catch (err) {
      if (!err || err.code !== 'EAGAIN') throw err;
    } finally {
      Atomics.store(flags, 1, 0);
      Atomics.notify(flags, 1);
    }
    if (n >= 0) {
      at += n;
      wait = 1;
    } else {
      await pause(wait);
      wait = Math.min(wait * 2, 8);
    }
  }
}

function exportMessage(m) {
  if (m.start !== undefined) return void runExport(m.start, m.plan, m.direct);
  const st = exportsRunning.get(m.give ?? m.cancel);
  if (!st) return;
  if (m.cancel !== undefined) st.cancelled = true;
  else {
    st.credits++;
    if (m.buffer) st.pool.push(new Uint8Array(m.buffer));
  }
  const wake = st.wake;
  st.wake = undefined;
  if (wake) wake();
}

async function runExport(id, plan, direct) {
  const st = { pool: [], credits: IN_FLIGHT, wake: undefined, cancelled: false };
  exportsRunning.set(id, st);
  let cur;
  let used = 0;
  const flush = async () => {
    if (!cur || used === 0) return;
    if (direct) {
      const bytes = cur.subarray(0, used);
      used = 0;
      if (direct.chunked) await writeToSocket(direct, Buffer.from(bytes.length.toString(16) + '\\r\\n'));
      await writeToSocket(direct, bytes);
      if (direct.chunked) await writeToSocket(direct, CRLF);
      // Other queries on this thread (SQLite's read worker) and a cancel get their turn.
      await new Promise((r) => setImmediate(r));
      if (st.cancelled) throw CANCELLED;
      return;
    }
    while (st.credits === 0 && !st.cancelled) await new Promise((r) => (st.wake = r));
    if (st.cancelled) throw CANCELLED;
    st.credits--;
    const chunk = new Uint8Array(cur.buffer, 0, used);
    cur = undefined;
    used = 0;
    parentPort.postMessage({ exp: id, chunk }, [chunk.buffer]);
  };
  const put = async (bytes) => {
    for (let at = 0; at < bytes.length; ) {
      cur ??= st.pool.pop() ?? new Uint8Array(EXPORT_CHUNK);
      const n = Math.min(bytes.length - at, EXPORT_CHUNK - used);
      cur.set(bytes.subarray(at, at + n), used);
      used += n;
      at += n;
      if (used === EXPORT_CHUNK) await flush();
    }
  };
  try {
    let cursor = plan.cursor;
    let left = plan.limit ?? Infinity;
    const [AT_TIME, AT_SEQ, PAGE_SIZE] = plan.placeholders;
    while (left > 0 && !st.cancelled) {
      const n = Math.min(plan.page, left);
      const params = plan.parameters.map((p) =>
        p === AT_TIME ? cursor.time_ms : p === AT_SEQ ? cursor.seq : p === PAGE_SIZE ? n : p,
      );
      const rows = await runPage(plan.sql, params);
      let got;
      if (plan.format === 'csv') {
        const out = rows[0];
        if (!out) break;
        if (out.text) await put(typeof out.text === 'string' ? Buffer.from(out.text) : out.text);
        got = Number(out.n);
        cursor = { time_ms: Number(out.last_time), seq: Number(out.last_seq) };
      } else {
        let text = '';
        for (const r of rows) text += JSON.stringify(fromRow(r)) + '\\n';
        if (text) await put(Buffer.from(text));
        got = rows.length;
        const last = rows[rows.length - 1];
        if (last) cursor = { time_ms: Number(last.time_ms), seq: Number(last.seq) };
      }
      if (got < n) break;
      left -= got;
    }
    await flush();
    parentPort.postMessage({ exp: id, done: true });
  } catch (err) {
    if (err !== CANCELLED) parentPort.postMessage({ exp: id, error: String(err && err.message), code: err && err.code });
  } finally {
    exportsRunning.delete(id);
  }
}
`;
