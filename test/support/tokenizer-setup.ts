// Vitest setup (unit and e2e projects): tests expect exact token counts, so each test file waits
// for the tokenizer thread to load before it runs, as a running Shimmy does after its first second.
// (Until then Shimmy reserves an upper bound: test/unit/meter/tokenizer-thread.test.ts.) A file
// named `*.cold-tokenizer.test.ts` starts without it: it checks when Shimmy loads it on its own.
import { beforeAll, expect } from 'vitest';
import { startTokenizerThread } from '../../main/core/meter/token-count.js';

beforeAll(
  () =>
    expect.getState().testPath?.endsWith('.cold-tokenizer.test.ts') ? undefined : startTokenizerThread(),
  60_000,
);
