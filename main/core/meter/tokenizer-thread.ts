// The gpt-tokenizer encodings live on a thread of their own. Loading one is 0.3–1.5 s of parsing
// and map building: on the event loop it held every request in flight (issue 16). Two lanes, in
// shared memory: the sync lane (`count`, `countEach`: a small body's count, a stream's deltas) waits
// on an Atomics cell, which costs what counting here would; the async lane (`countEachAsync`: a big
// body's thousands of texts) is awaited with Atomics.waitAsync, so the event loop serves other
// requests meanwhile (with a budget, one 20 MB body's texts are seconds of counting). The thread
// serves a sync request between two texts of an async batch: a sync caller waits for one text at
// most. Until an encoding has loaded, both return null at once and the caller uses an upper bound
// (token-count.ts): nothing ever waits for the load.
/// <reference lib="es2024.sharedmemory" />
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import {
  ALENGTH,
  ASTATE,
  ATEXTS,
  CELLS,
  COUNT_TIMEOUT_MS,
  DONE,
  ENCODING,
  IDLE,
  LANE_BYTES,
  LENGTH,
  RAW_JSON,
  READY,
  REQUEST,
  RESULT,
  STATE,
  TEXT_BYTES,
  TEXTS,
  WORK,
  WORKER_SOURCE,
  YOUNG_GENERATION_MB,
} from './tokenizer-worker-source.js';

/** Each lane's cells: request length in bytes, number of texts, state. */
const SYNC_LANE = [LENGTH, TEXTS, STATE] as const;
const ASYNC_LANE = [ALENGTH, ATEXTS, ASTATE] as const;

export const ENCODINGS = ['o200k_base', 'cl100k_base'] as const;

/** A text for the async lane: a string, or the bytes between the quotes of a JSON string literal
 *  (escapes undecoded), which the thread decodes and counts at its bound if token-count-bounds.ts
 *  says so. */
export type LaneText = string | { json: Buffer };
export type OpenAiEncoding = (typeof ENCODINGS)[number];

export interface TokenizerThread {
  /** Starts loading every encoding in the background (idempotent); resolves once all are loaded. */
  start(): Promise<void>;
  /** The exact count, or null while the encoding is still loading (or the thread is gone); the
   *  first call for an encoding starts its load (once `startWhen`'s gate opens). */
  count(text: string, encoding: OpenAiEncoding): number | null;
  /** The sum of each text's own count in one hand-over (a stream's deltas: one wait instead of one
   *  per delta), or null as for count(); also null if the texts do not fit the shared buffer. */
  countEach(texts: readonly string[], encoding: OpenAiEncoding): number | null;
  /** Each text's own count (null: not counted, use the bound), awaited rather than waited for:
   *  after the calls before it (`urgent`: after the urgent ones only, e.g. a small request's count
   *  while a big body's batches queue); null at once while the encoding loads, as for count(). */
  countEachAsync(
    texts: readonly LaneText[],
    encoding: OpenAiEncoding,
    urgent?: boolean,
  ): Promise<Array<number | null>> | null;
  /** The async lane of `encoding` is counting: a sync count would wait for its current text. */
  laneBusy(encoding: OpenAiEncoding): boolean;
  /** Requests handed to the thread so far (each a wait on the event loop). */
  readonly handOvers: number;
  /** Loads asked for by a count wait for `gate()` (start-core: the proxy's first quiet moment), so
   *  loading never shares the CPU with the requests right after start. */
  startWhen(gate: () => Promise<void>): void;
  /** The encodings whose thread has started. */
  loading(): OpenAiEncoding[];
}

interface LaneJob {
  texts: readonly LaneText[];
  done: (counts: Array<number | null>) => void;
}

interface Loading {
  worker: Worker;
  cell: Int32Array;
  text: Buffer;
  /** The async lane's texts, the calls waiting for it (urgent ones first), and whether it counts. */
  lane: Buffer;
  jobs: LaneJob[];
  urgentJobs: LaneJob[];
  laneRunning: boolean;
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
    const control = new SharedArrayBuffer(CELLS * Int32Array.BYTES_PER_ELEMENT);
    const text = new SharedArrayBuffer(TEXT_BYTES);
    const lane = new SharedArrayBuffer(LANE_BYTES);
    const resolve = createRequire(import.meta.url).resolve;
    const encodings = [
      {
        name: encoding,
        core: resolve('gpt-tokenizer/GptEncoding'),
        data: resolve(`gpt-tokenizer/data/${encoding}.tiktoken`),
        module: resolve(`gpt-tokenizer/encoding/${encoding}`),
      },
    ];
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { control, text, lane, encodings },
      // Counting makes only short-lived garbage: a small young generation (V8 lets it grow to
      // 16–32 MB) keeps ~20 MB off the process's RSS (issue 16), at a few more scavenges.
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
    // A thread blocked in Atomics.wait must not keep the process alive.
    worker.unref();
    const t: Loading = {
      worker,
      cell: new Int32Array(control),
      text: Buffer.from(text),
      lane: Buffer.from(lane),
      jobs: [],
      urgentJobs: [],
      laneRunning: false,
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

  /** Posts a request on one lane's cells (sync: LENGTH/TEXTS/STATE; async: ALENGTH/ATEXTS/ASTATE). */
  function post(cell: Int32Array, lane: readonly [number, number, number], bytes: number, texts: number) {
    const [lengthCell, textsCell, stateCell] = lane;
    handOvers++;
    cell[lengthCell] = bytes;
    cell[ENCODING] = 0;
    cell[textsCell] = texts;
    Atomics.store(cell, stateCell, REQUEST);
    wake(cell);
  }

  /** No answer within COUNT_TIMEOUT_MS: the thread is given up (callers fall back to upper bounds). */
  function giveUp(t: Loading): void {
    t.broken = true;
    void t.worker.terminate();
  }

  /** Hands the request in the shared cells over and waits for the worker's answer. */
  function exchange(t: Loading, bytes: number, texts: number) {
    const { cell } = t;
    post(cell, SYNC_LANE, bytes, texts);
    Atomics.wait(cell, STATE, REQUEST, COUNT_TIMEOUT_MS);
    if (Atomics.load(cell, STATE) !== DONE) {
      giveUp(t);
      return null;
    }
    const result = cell[RESULT] as number;
    Atomics.store(cell, STATE, IDLE);
    return result >= 0 ? result : null;
  }

  /** Hands the async lane's batch over; resolves once counted (false: the thread is gone). */
  async function handOver(t: Loading, bytes: number, texts: number): Promise<boolean> {
    const { cell } = t;
    post(cell, ASYNC_LANE, bytes, texts);
    // waitAsync does not keep the process alive; a caller awaiting a count must.
    const alive = setTimeout(() => undefined, COUNT_TIMEOUT_MS);
    const waiting = Atomics.waitAsync(cell, ASTATE, REQUEST, COUNT_TIMEOUT_MS);
    if (waiting.async) await waiting.value;
    clearTimeout(alive);
    if (Atomics.load(cell, ASTATE) !== DONE) {
      giveUp(t);
      return false;
    }
    Atomics.store(cell, ASTATE, IDLE);
    return true;
  }

  /** `texts` through the async lane, as many at a time as it holds. */
  async function laneCounts(t: Loading, texts: readonly LaneText[]): Promise<Array<number | null>> {
    const counts: Array<number | null> = [];
    for (let k = 0; k < texts.length;) {
      const at: number[] = [];
      let end = 0;
      for (; k < texts.length; k++) {
        const text = texts[k]!;
        const json = typeof text === 'string' ? null : text.json;
        if (end + 4 + (json ? json.length : Buffer.byteLength(text as string, 'utf8')) > LANE_BYTES) break;
        const len = json ? json.copy(t.lane, end + 4) : t.lane.write(text as string, end + 4, 'utf8');
        t.lane.writeUInt32LE(json ? (len | RAW_JSON) >>> 0 : len, end);
        at.push(end);
        end += 4 + len;
      }
      if (at.length === 0) {
        // Too long for the lane on its own (token-count.ts bounds such texts before asking).
        counts.push(null);
        k++;
        continue;
      }
      const counted = !t.broken && (await handOver(t, end, at.length));
      for (const a of at) {
        const n = counted ? t.lane.readInt32LE(a) : -1;
        counts.push(n >= 0 ? n : null);
      }
    }
    return counts;
  }

  async function drain(t: Loading): Promise<void> {
    t.laneRunning = true;
    for (let job; (job = t.urgentJobs.shift() ?? t.jobs.shift());)
      job.done(await laneCounts(t, job.texts).catch(() => job!.texts.map(() => null)));
    t.laneRunning = false;
  }

  function countEachAsync(texts: readonly LaneText[], encoding: OpenAiEncoding, urgent = false) {
    const t = ready(encoding);
    if (!t) return null;
    return new Promise<Array<number | null>>((done) => {
      (urgent ? t.urgentJobs : t.jobs).push({ texts, done });
      if (!t.laneRunning) void drain(t);
    });
  }

  const laneBusy = (encoding: OpenAiEncoding) => threads.get(encoding)?.laneRunning === true;

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
    countEachAsync,
    laneBusy,
    get handOvers() {
      return handOvers;
    },
    startWhen: (g) => {
      gate = g;
    },
    loading: () => [...threads.keys()],
  };
}

/** Wakes the worker for a request just put in a lane (it sleeps on WORK). */
function wake(cell: Int32Array): void {
  Atomics.add(cell, WORK, 1);
  Atomics.notify(cell, WORK);
}

/** The process's tokenizer threads (one copy of each encoding). */
export const tokenizerThread = createTokenizerThread();
