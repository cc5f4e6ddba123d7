// An export's whole page loop, run on a worker thread (SQLite's read worker, Postgres's export
// worker): each page is queried, formatted (CSV by the database, JSONL by fromRow + JSON.stringify
// here) and copied into fixed 64 kB chunks that are transferred to the main thread, which only
// writes them (issue 15: formatting a month of JSONL on the proxy's thread, and receiving each
// page as a fresh buffer, brought on its scavenges and mark-compacts). At most IN_FLIGHT chunks are
// out at once; the main thread hands each back once written — its buffer, to be filled again, when
// the destination has let go of it (a socket or file), else a bare credit — so the worker never
// runs ahead of the destination, and other queries on the same thread run between its turns.
// Plain CommonJS text, evaluated inside the worker with `parentPort`, `fromRow` and `runPage`
// (async (sql, params) → rows) in scope.
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

function exportMessage(m) {
  if (m.start !== undefined) return void runExport(m.start, m.plan);
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

async function runExport(id, plan) {
  const st = { pool: [], credits: IN_FLIGHT, wake: undefined, cancelled: false };
  exportsRunning.set(id, st);
  let cur;
  let used = 0;
  const flush = async () => {
    if (!cur || used === 0) return;
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
