// The gpt-tokenizer encodings live on a thread of their own. Loading one is 0.3–1.5 s of parsing
// and map building: on the event loop it held every request in flight (issue 16). Two lanes, in
// shared memory: the sync lane (`count`, `countEach`: a small body's count, a stream's deltas) waits
// on an Atomics cell, which costs what counting here would; the async lane (`countEachAsync`: a big
// body's thousands of texts) is awaited with Atomics.waitAsync, so the event loop serves other
// requests meanwhile (with a budget, one 20 MB body's texts are seconds of counting). The thread
// serves a sync request between two texts of an async batch: a sync caller waits for one text at
// most. Until an encoding has loaded, both return null at once and the caller uses an upper bound
// (token-count.ts): nothing ever waits for the load. A thread no count has used for a while is
// stopped (its encoding weighs ~30 MB of RSS, issue 16) and loads again, in the background as at
// first, when a count asks for it.
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

/** A loaded encoding no count used for this long (up to twice it) is unloaded; the next count
 *  gets the upper bound at once and loads it again. Reloading costs ~0.5 s of that thread's CPU. */
export const IDLE_STOP_MS = 120_000;
/** gpt-tokenizer's cache of merged pieces: 100,000 entries by default, ~130 B each (~13 MB). At
 *  20,000 a million characters of code counts at about the same speed (its distinct pieces fit). */
export const MERGE_CACHE_ENTRIES = 20_000;

export interface TokenizerThreadOptions {
  /** How long a loaded encoding may go unused before its thread is stopped (default IDLE_STOP_MS). */
  idleStopMs?: number;
}

export interface TokenizerThread {
  /** Starts loading every encoding in the background (idempotent); resolves once all are loaded.
   *  Encodings loaded so are kept (tests, callers that need exact counts from the start). */
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
  /** Requests handed over (the idle check compares it between two looks). */
  uses: number;
  /** Loaded by start(): never stopped for idleness. */
  kept: boolean;
  idleTimer?: NodeJS.Timeout;
}

/**
 * Waits while `cell[index]` still holds `value`, up to `timeoutMs`; true once it changed. A wake-up
 * alone proves nothing: the thread stores DONE and then notifies, so a waiter can see DONE without
 * sleeping, read the answer and post its next request before that notify lands — which then ends
 * the next wait with the request still unanswered. Taken as a timeout, that stale notify stopped
 * the thread for good (every count an upper bound after) every ~25k requests of a loaded bench.
 */
export function waitWhile(cell: Int32Array, index: number, value: number, timeoutMs: number): boolean {
  const until = performance.now() + timeoutMs;
  for (;;) {
    if (Atomics.load(cell, index) !== value) return true;
    const left = until - performance.now();
    if (left <= 0) return false;
    Atomics.wait(cell, index, value, left);
  }
}

/** waitWhile without blocking: the event loop turns meanwhile. */
async function waitAsyncWhile(
  cell: Int32Array,
  index: number,
  value: number,
  timeoutMs: number,
): Promise<boolean> {
  const until = performance.now() + timeoutMs;
  for (;;) {
    if (Atomics.load(cell, index) !== value) return true;
    const left = until - performance.now();
    if (left <= 0) return false;
    const waiting = Atomics.waitAsync(cell, index, value, left);
    if (waiting.async) await waiting.value;
  }
}

// Each encoding loads on a thread of its own, only once it is counted with: most traffic needs only
// o200k_base, and every loaded encoding weighs tens of MB (issue 16's RSS target).
export function createTokenizerThread({
  idleStopMs = IDLE_STOP_MS,
}: TokenizerThreadOptions = {}): TokenizerThread {
  const threads = new Map<OpenAiEncoding, Loading>();
  const asked = new Set<OpenAiEncoding>();
  let gate: (() => Promise<void>) | undefined;
  let handOvers = 0;

  /** Stops `t` once a whole idleStopMs passed with no request handed to it and its lane empty. */
  function watchIdle(encoding: OpenAiEncoding, t: Loading): void {
    let seen = t.uses;
    t.idleTimer = setTimeout(() => {
      if (threads.get(encoding) !== t || t.kept) return;
      if (t.uses !== seen || t.laneRunning || t.broken) {
        seen = t.uses;
        if (!t.broken) t.idleTimer?.refresh();
        return;
      }
      // The next count finds no thread: it gets the bound at once and asks for a load (ready()).
      threads.delete(encoding);
      asked.delete(encoding);
      t.broken = true;
      void t.worker.terminate();
    }, idleStopMs);
    // One timer re-armed, firing once per idleStopMs at most: an idle proxy's wake-ups stay few.
    t.idleTimer.unref();
  }

  function startOne(encoding: OpenAiEncoding, keep = false): Promise<void> {
    const running = threads.get(encoding);
    if (running) {
      if (keep) running.kept = true;
      return running.loaded;
    }
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
      workerData: { control, text, lane, encodings, mergeCacheEntries: MERGE_CACHE_ENTRIES },
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
      uses: 0,
      kept: keep,
    };
    t.loaded = new Promise<void>((resolve, reject) => {
      worker.on('message', () => resolve());
      worker.on('error', (err) => {
        t.broken = true;
        reject(err);
      });
      worker.on('exit', () => {
        t.broken = true;
        clearTimeout(t.idleTimer);
        reject(new Error('tokenizer thread exited'));
      });
    });
    // Callers that never await it fall back to upper bounds: the rejection is not theirs to handle.
    t.loaded.catch(() => undefined);
    threads.set(encoding, t);
    void t.loaded.then(
      () => watchIdle(encoding, t),
      () => undefined,
    );
    return t.loaded;
  }

  const start = () => Promise.all(ENCODINGS.map((e) => startOne(e, true))).then(() => undefined);

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
  function post(t: Loading, lane: readonly [number, number, number], bytes: number, texts: number) {
    const { cell } = t;
    const [lengthCell, textsCell, stateCell] = lane;
    handOvers++;
    t.uses++;
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
    post(t, SYNC_LANE, bytes, texts);
    if (!waitWhile(cell, STATE, REQUEST, COUNT_TIMEOUT_MS) || Atomics.load(cell, STATE) !== DONE) {
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
    post(t, ASYNC_LANE, bytes, texts);
    // waitAsync does not keep the process alive; a caller awaiting a count must.
    const alive = setTimeout(() => undefined, COUNT_TIMEOUT_MS);
    const answered = await waitAsyncWhile(cell, ASTATE, REQUEST, COUNT_TIMEOUT_MS);
    clearTimeout(alive);
    if (!answered || Atomics.load(cell, ASTATE) !== DONE) {
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
    for (let group; (group = nextGroup(t)).length > 0;) {
      const texts = group.flatMap((j) => j.texts);
      const counts = await laneCounts(t, texts).catch(() => texts.map(() => null));
      let at = 0;
      for (const job of group) job.done(counts.slice(at, (at += job.texts.length)));
    }
    t.laneRunning = false;
  }

  /** The next job, with the jobs of its queue behind it while together they fit one hand-over: a
   *  wait of the event loop per job was the lane's pace, and 1,000 open slow streams' batches of
   *  deltas queued for seconds behind each other (issue 16). Urgent ones first, and only together. */
  function nextGroup(t: Loading): LaneJob[] {
    const queue = t.urgentJobs.length > 0 ? t.urgentJobs : t.jobs;
    const group: LaneJob[] = [];
    let bytes = 0;
    while (queue.length > 0) {
      const size = laneBytes(queue[0]!.texts);
      if (group.length > 0 && bytes + size > LANE_BYTES) break;
      group.push(queue.shift()!);
      bytes += size;
    }
    return group;
  }

  /** At most what `texts` take in the lane (a UTF-16 unit is at most 3 UTF-8 bytes). */
  function laneBytes(texts: readonly LaneText[]): number {
    let n = 0;
    for (const text of texts) n += 4 + (typeof text === 'string' ? 3 * text.length : text.json.length);
    return n;
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
