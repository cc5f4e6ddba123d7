// The gpt-tokenizer encodings live on a thread of their own. Loading one is 0.3–1.5 s of parsing
// and map building: on the event loop it held every request in flight (issue 16). Counting stays
// synchronous for callers (admit reserves in one tick): the text goes over in shared memory and
// this thread waits on an Atomics cell for the count, which costs what counting here would. Until
// an encoding has loaded, `count` returns null at once and the caller uses an
// upper bound (token-count.ts): nothing ever waits for the load.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export const ENCODINGS = ['o200k_base', 'cl100k_base'] as const;
export type OpenAiEncoding = (typeof ENCODINGS)[number];

// Cells of the control array. STATE: IDLE → REQUEST (this thread) → DONE (worker) → IDLE (this thread).
const STATE = 0;
const READY = 1; // bit i: ENCODINGS[i] is loaded
const ENCODING = 2;
const LENGTH = 3;
const RESULT = 4;
const TEXTS = 5; // 0: one text of LENGTH bytes; n > 0: n texts, each a 4-byte length then its bytes
const IDLE = 0;
const REQUEST = 1;
const DONE = 2;
/** token-count.ts tokenizes at most 200,000 UTF-16 units: at most 3 UTF-8 bytes each. */
const TEXT_BYTES = 600_000;
/** Only for a worker that died mid-count; a 200k-character count takes well under a second. */
const COUNT_TIMEOUT_MS = 10_000;

// Plain CommonJS evaluated in the worker (no file to locate next to the compiled code or in an asar).
// It waits for any change of STATE rather than for IDLE, so it never spins on DONE.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const cell = new Int32Array(workerData.control);
const PLAIN = { disallowedSpecial: new Set() };
const counters = [];
for (let i = 0; i < workerData.modules.length; i++) {
  counters[i] = require(workerData.modules[i]).countTokens;
  Atomics.or(cell, ${READY}, 1 << i);
  parentPort.postMessage(i);
}
for (;;) {
  const state = Atomics.load(cell, ${STATE});
  if (state !== ${REQUEST}) { Atomics.wait(cell, ${STATE}, state); continue; }
  let result = -1;
  try {
    const bytes = Buffer.from(workerData.text, 0, cell[${LENGTH}]);
    const countOf = counters[cell[${ENCODING}]];
    const n = cell[${TEXTS}];
    if (n === 0) result = countOf(bytes.toString('utf8'), PLAIN);
    else {
      let sum = 0;
      for (let k = 0, at = 0; k < n; k++) {
        const len = bytes.readUInt32LE(at);
        sum += countOf(bytes.toString('utf8', at + 4, at + 4 + len), PLAIN);
        at += 4 + len;
      }
      result = sum;
    }
  } catch {}
  cell[${RESULT}] = result;
  Atomics.store(cell, ${STATE}, ${DONE});
  Atomics.notify(cell, ${STATE});
}
`;

export interface TokenizerThread {
  /** Starts loading every encoding in the background (idempotent); resolves once all are loaded. */
  start(): Promise<void>;
  /** The exact count, or null while the encoding is still loading (or the thread is gone); the
   *  first call for an encoding starts its load (once `startWhen`'s gate opens). */
  count(text: string, encoding: OpenAiEncoding): number | null;
  /** The sum of each text's own count in one hand-over (a stream's deltas: one wait instead of one
   *  per delta), or null as for count(); also null if the texts do not fit the shared buffer. */
  countEach(texts: readonly string[], encoding: OpenAiEncoding): number | null;
  /** Requests handed to the thread so far (each a wait on the event loop). */
  readonly handOvers: number;
  /** Loads asked for by a count wait for `gate()` (start-core: the proxy's first quiet moment), so
   *  loading never shares the CPU with the requests right after start. */
  startWhen(gate: () => Promise<void>): void;
  /** The encodings whose thread has started. */
  loading(): OpenAiEncoding[];
}

interface Loading {
  worker: Worker;
  cell: Int32Array;
  text: Buffer;
  loaded: Promise<void>;
  broken: boolean;
}

// Each encoding loads on a thread of its own, only once it is counted with: most traffic needs only
// o200k_base, and every loaded encoding weighs tens of MB (issue 16's RSS target).
export function createTokenizerThread(): TokenizerThread {
  const threads = new Map<OpenAiEncoding, Loading>();
  const asked = new Set<OpenAiEncoding>();
  let gate: (() => Promise<void>) | undefined;
  let handOvers = 0;

  function startOne(encoding: OpenAiEncoding): Promise<void> {
    const running = threads.get(encoding);
    if (running) return running.loaded;
    const control = new SharedArrayBuffer(6 * Int32Array.BYTES_PER_ELEMENT);
    const text = new SharedArrayBuffer(TEXT_BYTES);
    const modules = [createRequire(import.meta.url).resolve(`gpt-tokenizer/encoding/${encoding}`)];
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { control, text, modules } });
    // A thread blocked in Atomics.wait must not keep the process alive.
    worker.unref();
    const t: Loading = {
      worker,
      cell: new Int32Array(control),
      text: Buffer.from(text),
      loaded: Promise.resolve(),
      broken: false,
    };
    t.loaded = new Promise<void>((resolve, reject) => {
      worker.on('message', () => resolve());
      worker.on('error', (err) => {
        t.broken = true;
        reject(err);
      });
      worker.on('exit', () => {
        t.broken = true;
        reject(new Error('tokenizer thread exited'));
      });
    });
    // Callers that never await it fall back to upper bounds: the rejection is not theirs to handle.
    t.loaded.catch(() => undefined);
    threads.set(encoding, t);
    return t.loaded;
  }

  const start = () => Promise.all(ENCODINGS.map(startOne)).then(() => undefined);

  /** The loaded thread for `encoding`, or null (asking for its load on first use). */
  function ready(encoding: OpenAiEncoding): Loading | null {
    const t = threads.get(encoding);
    if (!t) {
      if (!asked.has(encoding)) {
        asked.add(encoding);
        if (gate) void gate().then(() => startOne(encoding));
        else void startOne(encoding);
      }
      return null;
    }
    // Each thread holds one encoding, its bit 0.
    if (t.broken || (Atomics.load(t.cell, READY) & 1) === 0) return null;
    return t;
  }

  /** Hands the request in the shared cells over and waits for the worker's answer. */
  function exchange(t: Loading, bytes: number, texts: number) {
    const { cell, worker } = t;
    handOvers++;
    cell[LENGTH] = bytes;
    cell[ENCODING] = 0;
    cell[TEXTS] = texts;
    Atomics.store(cell, STATE, REQUEST);
    Atomics.notify(cell, STATE);
    Atomics.wait(cell, STATE, REQUEST, COUNT_TIMEOUT_MS);
    if (Atomics.load(cell, STATE) !== DONE) {
      t.broken = true;
      void worker.terminate();
      return null;
    }
    const result = cell[RESULT] as number;
    Atomics.store(cell, STATE, IDLE);
    Atomics.notify(cell, STATE);
    return result >= 0 ? result : null;
  }

  function count(text: string, encoding: OpenAiEncoding): number | null {
    const t = ready(encoding);
    if (!t || Buffer.byteLength(text, 'utf8') > TEXT_BYTES) return null;
    return exchange(t, t.text.write(text, 0, 'utf8'), 0);
  }

  function countEach(texts: readonly string[], encoding: OpenAiEncoding): number | null {
    const t = ready(encoding);
    if (!t) return null;
    let at = 0;
    for (const text of texts) {
      if (at + 4 + Buffer.byteLength(text, 'utf8') > TEXT_BYTES) return null;
      const len = t.text.write(text, at + 4, 'utf8');
      t.text.writeUInt32LE(len, at);
      at += 4 + len;
    }
    return exchange(t, at, texts.length);
  }

  return {
    start,
    count,
    countEach,
    get handOvers() {
      return handOvers;
    },
    startWhen: (g) => {
      gate = g;
    },
    loading: () => [...threads.keys()],
  };
}

/** The process's tokenizer threads (one copy of each encoding). */
export const tokenizerThread = createTokenizerThread();
