// The default log of the core (what `shimmy serve` prints, one JSON line per finished request):
// the lines that end in one event-loop turn go out in one write, each line as it always was
// (`{"t":<ISO time>,...entry}`, `t` first, no spaces), none lost, and what is held is written when
// the core stops. Before, every line was a write of its own (a syscall per request on a pipe).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

const writes: string[] = [];
let h: Harness;
let token: string;

beforeAll(async () => {
  // No `log`: the core's own JSON-lines log, written to this sink instead of process.stdout.
  h = await startHarness({
    core: { log: undefined, stdout: { write: (text: string) => writes.push(text) } },
  });
  token = await h.tool('logged', {});
}, 60_000);
let closed = false;
afterAll(() => (closed ? undefined : h?.close()));

const chat = (i: number) =>
  fetch(`${h.core.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `hello ${i}` }] }),
  }).then(async (res) => ({
    status: res.status,
    id: res.headers.get('x-shimmy-request-id'),
    body: await res.text(),
  }));

describe('the JSON-lines log', () => {
  it('groups the lines of a turn into one write, keeps each line exact, and flushes on stop', async () => {
    const N = 48;
    // Bounded: N requests, all at once, so that several finish in the same turn.
    const answers = await Promise.all(Array.from({ length: N }, (_, i) => chat(i)));
    for (const a of answers) expect(a.status).toBe(200);
    closed = true;
    await h.close();
    const text = writes.join('');
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.slice(0, -1).split('\n');
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const [i, p] of parsed.entries()) {
      // Exactly the old format: the time first, then the entry's fields in their order.
      const { t, ...entry } = p;
      expect(lines[i]).toBe(JSON.stringify({ t: new Date(t as string).toISOString(), ...entry }));
    }
    // Every request's line, once, with its fields.
    const requestLines = parsed.filter((p) => p.tool === 'logged');
    expect(requestLines.map((p) => p.id).sort()).toEqual(answers.map((a) => a.id).sort());
    for (const p of requestLines)
      expect(Object.keys(p)).toEqual(['t', 'id', 'tool', 'provider', 'model', 'status', 'ms', 'usd']);
    console.log(`[figures] ${lines.length} log lines in ${writes.length} writes`);
    // Grouped: fewer writes than lines (one write a line before), and no line split across writes.
    for (const w of writes) expect(w.endsWith('\n')).toBe(true);
    expect(writes.length, `${writes.length} writes for ${lines.length} lines`).toBeLessThan(lines.length);
  }, 120_000);
});
