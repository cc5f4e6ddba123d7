// Big JSON bodies parsed at once share the event loop's time (cpu-turns.ts): over real loopback
// HTTP, four 8 MiB bodies parsed together take about four times the event-loop turns one takes
// alone, each turn running one slice of one body — not four bodies' slices in every turn, which
// held the loop 4 × 4 ms a turn (issue 16: eight 20 MB bodies, 32 ms; target ≤ 20 ms). Turns are
// counted, not timed: the ratio is the same on a fast or a loaded machine.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRequestBody } from '../../../main/core/proxy/read-json-any-type.js';
import { readBody } from '../../../main/core/proxy/read-body.js';
import { countLoopTurns, type LoopTurns } from '../../support/loop-turns.js';

let server: http.Server;
let url: string;
let turns: LoopTurns | undefined;
const turn = () => turns?.now ?? 0;
/** Parses start together once this many bodies are in: each records the turns its parse took. */
let together = 1;
let arrived: Array<() => void> = [];
const turnsTaken: number[] = [];

beforeAll(async () => {
  server = http.createServer(async (req, res) => {
    const bytes = await readBody(req, 64 * 1024 * 1024);
    if (arrived.length + 1 < together) await new Promise<void>((r) => arrived.push(r));
    else {
      for (const go of arrived) go();
      arrived = [];
    }
    const from = turn();
    const { json } = await parseRequestBody(bytes, req.headers, 'chat');
    turnsTaken.push(turn() - from);
    res.end(String((json as { messages: unknown[] }).messages.length));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** ~8 MiB of agent context: 1,300 turns of ~6 kB (long strings, checked but left unread). */
function body(seed: number): string {
  const messages = [];
  for (let i = 0; i < 1300; i++)
    messages.push({
      role: i % 2 ? 'assistant' : 'user',
      content: `${seed}:${i} ${'step failed; log: '.repeat(360)}`,
    });
  return JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages });
}

async function parseTogether(n: number): Promise<number> {
  together = n;
  turnsTaken.length = 0;
  const answers = await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: body(i),
      });
      return res.text();
    }),
  );
  for (const a of answers) expect(a).toBe('1300');
  return Math.max(...turnsTaken);
}

describe('big bodies parsed at once', () => {
  it('take turns: four take about four times the turns of one', async () => {
    turns = countLoopTurns();
    try {
      // The first parse of each shape compiles code; measure warm.
      await parseTogether(1);
      // A turn's budget is wall time, so a slice preempted by another process (CI runs two test
      // files at once on 2 cores) ends its turn early: one body alone once read 16 turns where
      // four read 37. Its fewest of three, on either side of the four, is what it takes unhindered.
      const first = await parseTogether(1);
      const four = await parseTogether(4);
      const alone = Math.min(first, await parseTogether(1), await parseTogether(1));
      expect(alone).toBeGreaterThanOrEqual(2);
      // Before cpu-turns.ts, four took about the turns of one (every body sliced in every turn).
      expect(four).toBeGreaterThanOrEqual(2.5 * alone);
    } finally {
      turns?.stop();
    }
  }, 60_000);
});
