// Requests in flight when Shimmy stops: their journaled reservation becomes an `estimated` record
// at the reserved worst-case cost on the next start — never $0, never lost, never counted twice.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEngines, opener, record, tempDir } from './helpers.js';

describeEngines('reservation journal', (kind) => {
  const open = opener(kind);
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
  });
  afterEach(() => cleanup());

  const pending = (id: string, costUsd: number | null) => ({
    id,
    time: '2024-05-01T10:00:00.000Z',
    tool: 'aider',
    costUsd,
    record: { provider: 'openai', model: 'gpt-4o', path: '/v1/chat/completions', user: 'ann' },
  });

  it('records a reservation left pending as estimated spend at its worst case', async () => {
    const a = await open(dir);
    a.reserve(pending('inflight', 0.25));
    a.reserve(pending('unpriced', null));
    await a.flush();
    await a.close(); // the answers never came: as after a crash

    const b = await open(dir);
    // Both count: $0.25, and one unpriced (never silently $0).
    expect(b.totals({ day: '2024-05-01', tool: 'aider' })).toMatchObject({
      requests: 2,
      costUsd: 0.25,
      unpriced: 1,
    });
    const r = await b.get('inflight');
    expect(r).toMatchObject({
      tool: 'aider',
      model: 'gpt-4o',
      user: 'ann',
      costUsd: 0.25,
      estimated: true,
      errorClass: 'interrupted',
    });
    await b.close();
    // Recorded once: a third start finds nothing left to recover.
    const c = await open(dir);
    expect(c.totals({}).requests).toBe(2);
    await c.close();
  });

  it('settles a reservation with its record, and drops a released one', async () => {
    const a = await open(dir);
    a.reserve(pending('done', 0.25));
    a.reserve(pending('never-sent', 0.5));
    await a.flush();
    a.append(record({ id: 'done', time: '2024-05-01T10:00:00.000Z', tool: 'aider', costUsd: 0.01 }));
    a.release('never-sent');
    await a.close();

    const b = await open(dir);
    expect(b.totals({})).toMatchObject({ requests: 1, costUsd: 0.01 });
    expect((await b.get('done'))?.estimated).toBe(false);
    await b.close();
  });
});
