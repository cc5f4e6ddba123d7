// Vitest setup (unit and e2e projects): tests expect exact token counts, so each test file waits
// for the tokenizer thread to load before it runs, as a running Shimmy does after its first second.
// (Until then Shimmy reserves an upper bound: test/unit/meter/tokenizer-thread.test.ts.)
import { beforeAll } from 'vitest';
import { startTokenizerThread } from '../../main/core/meter/token-count.js';

beforeAll(() => startTokenizerThread(), 60_000);
