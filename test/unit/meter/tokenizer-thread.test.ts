// The tokenizer never holds the event loop (issue 16): while its encodings load on their own thread,
// a count comes back at once (null: the caller reserves the upper bound, which is never below the
// true count); once loaded, counts are gpt-tokenizer's own.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { countOpenAiTokens, tokenUpperBound } from '../../../main/core/meter/token-count.js';
import { tiktokenRanks } from '../../../main/core/meter/token-count-ranks.js';
import { createTokenizerThread } from '../../../main/core/meter/tokenizer-thread.js';

const TEXTS = [
  'Why should a local API proxy meter every request and enforce per-tool budgets?',
  'function add(a, b) { return a + b; } // <|endoftext|> looks special but is text',
  '日本語のテキストと絵文字 🧪🚀 mixed with English',
  ' \n\t  lots   of    whitespace\n\n\n',
  'a'.repeat(5000),
];
const plain = { disallowedSpecial: new Set<string>() };

describe('the tokenizer thread', () => {
  // The thread builds its encodings from the package's .tiktoken files (compiling the bpeRanks
  // modules cost ~16 MB of RSS for good): the same ranks, entry for entry, in the same form.
  it("reads the ranks from gpt-tokenizer's .tiktoken files exactly as its bpeRanks modules hold them", async () => {
    const require = createRequire(import.meta.url);
    for (const encoding of ['o200k_base', 'cl100k_base']) {
      const text = readFileSync(require.resolve(`gpt-tokenizer/data/${encoding}.tiktoken`), 'latin1');
      const mine = tiktokenRanks(text);
      const theirs = (require(`gpt-tokenizer/bpeRanks/${encoding}`) as { default: Array<string | number[]> })
        .default;
      expect(mine.length).toBe(theirs.length);
      let differ = 0;
      for (let i = 0; i < theirs.length; i++)
        if (JSON.stringify(mine[i]) !== JSON.stringify(theirs[i])) differ++;
      expect(differ).toBe(0);
    }
  }, 60_000);

  it('answers at once while its encodings load, then counts exactly what gpt-tokenizer counts', async () => {
    const thread = createTokenizerThread();
    // The first count starts the load and does not wait for it (0.3–1.5 s on the event loop
    // before issue 16). A wide margin for this shared machine.
    const started = performance.now();
    const early = TEXTS.map((t) => thread.count(t, 'o200k_base'));
    expect(performance.now() - started).toBeLessThan(100);
    expect(early).toEqual(TEXTS.map(() => null));

    await thread.start();
    const o200k = await import('gpt-tokenizer/encoding/o200k_base');
    const cl100k = await import('gpt-tokenizer/encoding/cl100k_base');
    for (const t of TEXTS) {
      expect(thread.count(t, 'o200k_base')).toBe(o200k.countTokens(t, plain));
      expect(thread.count(t, 'cl100k_base')).toBe(cl100k.countTokens(t, plain));
    }
  });

  it('loads only the encoding a count asks for, once the start-up gate opens', async () => {
    const thread = createTokenizerThread();
    let open!: () => void;
    thread.startWhen(() => new Promise<void>((resolve) => (open = resolve)));
    expect(thread.count(TEXTS[0]!, 'o200k_base')).toBeNull();
    // Nothing loads while the gate is shut (start-core: until the proxy's first quiet moment).
    await new Promise((r) => setImmediate(r));
    expect(thread.loading()).toEqual([]);
    open();
    const o200k = await import('gpt-tokenizer/encoding/o200k_base');
    await expect
      .poll(() => thread.count(TEXTS[0]!, 'o200k_base'), { timeout: 30_000, interval: 50 })
      .toBe(o200k.countTokens(TEXTS[0]!, plain));
    // cl100k_base (older models, embeddings) was never asked for: never loaded.
    expect(thread.loading()).toEqual(['o200k_base']);
  });

  it('the stand-in while loading (UTF-8 bytes) is never below the true count', async () => {
    const o200k = await import('gpt-tokenizer/encoding/o200k_base');
    const cl100k = await import('gpt-tokenizer/encoding/cl100k_base');
    const more = [...TEXTS, '\u0000\u{10FFFF}\u00e9\u0301', '<|im_start|>user<|im_sep|>', '🏳️‍🌈'.repeat(50)];
    for (const t of more) {
      expect(tokenUpperBound(t)).toBeGreaterThanOrEqual(o200k.countTokens(t, plain));
      expect(tokenUpperBound(t)).toBeGreaterThanOrEqual(cl100k.countTokens(t, plain));
    }
    // token-count.ts counts exactly once the process's thread has loaded (test/support setup).
    expect(countOpenAiTokens(TEXTS[0]!, 'o200k_base')).toBe(o200k.countTokens(TEXTS[0]!, plain));
  });

  it('a text that is one very long word (unspaced CJK) is counted at its bound, and the thread stays healthy', async () => {
    // gpt-tokenizer's BPE is quadratic in the length of one pre-token: 50,000 unspaced ideographs
    // passed the thread's 10 s timeout (the event loop waiting meanwhile), after which the thread
    // was given up and every later count fell back to the byte bound.
    const o200k = await import('gpt-tokenizer/encoding/o200k_base');
    let x = 12345;
    const ideographs = Array.from({ length: 50_000 }, () => {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      return String.fromCharCode(0x4e00 + (x % 0x5200));
    }).join('');
    expect(countOpenAiTokens(ideographs, 'o200k_base')).toBe(Buffer.byteLength(ideographs, 'utf8'));
    expect(countOpenAiTokens(TEXTS[0]!, 'o200k_base')).toBe(o200k.countTokens(TEXTS[0]!, plain));
  }, 30_000);

  it('counts on its async lane what gpt-tokenizer counts, the event loop turning meanwhile', async () => {
    const thread = createTokenizerThread();
    expect(thread.countEachAsync(TEXTS, 'o200k_base')).toBeNull(); // loading: the caller bounds
    await thread.start();
    const o200k = await import('gpt-tokenizer/encoding/o200k_base');
    const cl100k = await import('gpt-tokenizer/encoding/cl100k_base');
    expect(await thread.countEachAsync(TEXTS, 'o200k_base')).toEqual(
      TEXTS.map((t) => o200k.countTokens(t, plain)),
    );
    expect(await thread.countEachAsync(TEXTS, 'cl100k_base')).toEqual(
      TEXTS.map((t) => cl100k.countTokens(t, plain)),
    );
    // More than one lane's worth: split over hand-overs, each text still its own count.
    const many = Array.from({ length: 30 }, (_, i) => `${i} ${'word '.repeat(6_000)}`);
    expect(await thread.countEachAsync(many, 'o200k_base')).toEqual(
      many.map((t) => o200k.countTokens(t, plain)),
    );

    // Slow text (random words BPE has no merges for): the callbacks queued behind the count run
    // before it resolves, and an urgent count asked for later resolves before it.
    const order: string[] = [];
    const slow = thread.countEachAsync([hardText(60_000), hardText(60_000)], 'o200k_base')!;
    void slow.then(() => order.push('slow'));
    expect(thread.laneBusy('o200k_base')).toBe(true);
    setImmediate(() => order.push('turn'));
    const queued = thread.countEachAsync([TEXTS[0]!], 'o200k_base')!;
    void queued.then(() => order.push('queued'));
    const urgent = thread.countEachAsync([TEXTS[1]!], 'o200k_base', true)!;
    void urgent.then(() => order.push('urgent'));
    await Promise.all([slow, queued, urgent]);
    expect(order).toEqual(['turn', 'slow', 'urgent', 'queued']);
    expect(thread.laneBusy('o200k_base')).toBe(false);
  }, 60_000);

  it('counts the small jobs queued on its async lane together: one hand-over, each its own counts', async () => {
    // 1,000 open slow streams each hand over a batch of deltas: one event-loop wait per batch was
    // the lane's pace, and batches queued for seconds (issue 16, slow streams).
    const thread = createTokenizerThread();
    await thread.start();
    const o200k = await import('gpt-tokenizer/encoding/o200k_base');
    const slow = thread.countEachAsync([hardText(20_000)], 'o200k_base')!;
    const before = thread.handOvers;
    const jobs = Array.from({ length: 50 }, (_, i) => [`${TEXTS[i % TEXTS.length]} ${i}`, ` delta ${i * 7}`]);
    const counted = jobs.map((texts) => thread.countEachAsync(texts, 'o200k_base')!);
    await slow;
    const results = await Promise.all(counted);
    expect(results).toEqual(jobs.map((texts) => texts.map((t) => o200k.countTokens(t, plain))));
    expect(thread.handOvers - before).toBe(1);
  }, 60_000);
});

/** Random 100-letter words: ~4 µs a character for gpt-tokenizer on this machine, none bounded. */
function hardText(chars: number): string {
  let x = 99;
  let s = '';
  while (s.length < chars) {
    for (let i = 0; i < 100; i++) {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      s += String.fromCharCode(97 + (x % 26));
    }
    s += ' ';
  }
  return s;
}
