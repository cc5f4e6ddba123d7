// The tokenizer thread's side (tokenizer-thread.ts): the layout of the shared control cells and the
// worker's source.

import { isBoundOnly, LONG_PIECE, TOKENIZE_MAX_CHARS } from './token-count-bounds.js';
import { tiktokenRanks } from './token-count-ranks.js';

// Cells of the control array. STATE, ASTATE: IDLE → REQUEST (this thread) → DONE (worker) → IDLE
// (this thread); WORK is bumped with each request (the worker sleeps on it).
export const STATE = 0;
export const READY = 1; // bit i: ENCODINGS[i] is loaded
export const ENCODING = 2;
export const LENGTH = 3;
export const RESULT = 4;
export const TEXTS = 5; // 0: one text of LENGTH bytes; n > 0: n texts, each a 4-byte length then its bytes
export const ASTATE = 6; // the async lane: ATEXTS texts as above (a length with RAW_JSON set: the bytes
// between a JSON string literal's quotes, decoded and bounded by the worker), ALENGTH bytes; each length is overwritten
export const ALENGTH = 7; // with that text's count (-1: not counted)
export const ATEXTS = 8;
export const WORK = 9;
export const CELLS = 10;
/** Bit 31 of an async-lane text's length: the text is a JSON string literal's inside. */
export const RAW_JSON = 0x80000000;
export const IDLE = 0;
export const REQUEST = 1;
export const DONE = 2;
/** token-count.ts tokenizes at most 200,000 UTF-16 units: at most 3 UTF-8 bytes each. */
export const TEXT_BYTES = 600_000;
/** The async lane holds any one text token-count.ts tokenizes, with its length. */
export const LANE_BYTES = TEXT_BYTES + 4;
/** The worker's young generation cap (resourceLimits.maxYoungGenerationSizeMb). */
export const YOUNG_GENERATION_MB = 4;
/** Only for a worker that died mid-count: 190,000 characters of random words (no BPE merges to
 *  find) took ~0.8 s on the 2-core bench VM under load. */
export const COUNT_TIMEOUT_MS = 10_000;

// Plain CommonJS evaluated in the worker (no file to locate next to the compiled code or in an asar).
// It sleeps on WORK (read before the lanes are looked at, so a request made meanwhile is not
// missed) and looks at the sync lane first, also between the texts of an async batch.
export const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const cell = new Int32Array(workerData.control);
const PLAIN = { disallowedSpecial: new Set() };
const counters = [];
// The ranks from the package's .tiktoken file (token-count-ranks.ts), its module if that fails.
const tiktokenRanks = ${tiktokenRanks.toString()};
for (let i = 0; i < workerData.encodings.length; i++) {
  const e = workerData.encodings[i];
  let api;
  try {
    const ranks = tiktokenRanks(require('node:fs').readFileSync(e.data, 'latin1'));
    api = require(e.core).GptEncoding.getEncodingApi(e.name, () => ranks);
  } catch {
    api = require(e.module);
  }
  // Bounded: the default (100,000 merged pieces) grows to ~13 MB over a day of varied text.
  if (typeof api.setMergeCacheSize === 'function') api.setMergeCacheSize(workerData.mergeCacheEntries);
  counters[i] = api.countTokens;
  Atomics.or(cell, ${READY}, 1 << i);
  parentPort.postMessage(i);
}
// Loading leaves ~16 MB of garbage (the rank file's parse) that no collection would ever take:
// this thread then sleeps in Atomics.wait. A full one now (gc exposed to a fresh context only).
try {
  require('node:v8').setFlagsFromString('--expose-gc');
  require('node:vm').runInNewContext('gc')();
} catch {}
const lane = Buffer.from(workerData.lane);
const BACKSLASH = String.fromCharCode(92);
const boundOnly = (text) => (${isBoundOnly.toString()})(text, ${TOKENIZE_MAX_CHARS}, ${LONG_PIECE});
const serveLane = () => {
  const countOf = counters[cell[${ENCODING}]];
  const n = cell[${ATEXTS}];
  for (let k = 0, at = 0; k < n; k++) {
    if (Atomics.load(cell, ${STATE}) === ${REQUEST}) serveSync();
    const word = lane.readUInt32LE(at);
    const raw = word >= ${RAW_JSON};
    const len = raw ? word - ${RAW_JSON} : word;
    let count = -1;
    try {
      let text = lane.toString('utf8', at + 4, at + 4 + len);
      if (!raw) count = countOf(text, PLAIN);
      else {
        // As UnreadString.value decodes it, then as token-count.ts counts a decoded text.
        if (text.includes(BACKSLASH)) text = JSON.parse('"' + text + '"');
        count = boundOnly(text) ? Buffer.byteLength(text, 'utf8') : countOf(text, PLAIN);
      }
    } catch {}
    lane.writeInt32LE(count, at);
    at += 4 + len;
  }
  Atomics.store(cell, ${ASTATE}, ${DONE});
  Atomics.notify(cell, ${ASTATE});
};
for (;;) {
  const work = Atomics.load(cell, ${WORK});
  if (Atomics.load(cell, ${STATE}) === ${REQUEST}) serveSync();
  else if (Atomics.load(cell, ${ASTATE}) === ${REQUEST}) serveLane();
  else Atomics.wait(cell, ${WORK}, work);
}
function serveSync() {
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
