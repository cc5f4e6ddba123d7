import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LedgerRecord } from '../../../shared/ledger.js';
import type { Ledger } from '../../../main/core/ledger/index.js';
import { describeEngines, exportedText, opener, record, tempDir } from './helpers.js';

describeEngines('ledger queries and export', (kind) => {
  const open = opener(kind);

  let dir: string;
  let cleanup: () => Promise<void>;
  let ledger: Ledger;

  // 25 records over three UTC days; every 5th is from claude-code, every 4th failed with 429.
  const all: LedgerRecord[] = Array.from({ length: 25 }, (_, i) =>
    record({
      id: `r${String(i).padStart(2, '0')}`,
      time: new Date(Date.UTC(2024, 4, 1, 20) + i * 3_600_000).toISOString(), // 1 May 20:00Z, hourly
      tool: i % 5 === 0 ? 'claude-code' : 'aider',
      model: i % 2 === 0 ? 'gpt-4o-mini' : 'gpt-4o',
      status: i % 4 === 0 ? 429 : 200,
      user: i === 7 ? 'Alice@Example.com' : undefined,
    }),
  );
  const ids = (rs: LedgerRecord[]) => rs.map((r) => r.id);
  const newestFirst = (rs: LedgerRecord[]) => ids(rs).reverse();

  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
    ledger = await open(dir);
    for (const r of all.slice(0, 20)) ledger.append(r);
    await ledger.flush();
    for (const r of all.slice(20)) ledger.append(r); // still queued: queries must see them too
  });
  afterEach(async () => {
    await ledger.close();
    await cleanup();
  });

  async function exported(format: 'csv' | 'jsonl', q = {}): Promise<string> {
    return exportedText(ledger, format, q);
  }

  describe('query', async () => {
    it('returns newest first across days, queued and written records alike', async () => {
      expect(ids((await ledger.query({})).records)).toEqual(newestFirst(all));
    });

    it('filters by tool, model, status, time range and text', async () => {
      expect(ids((await ledger.query({ tool: 'claude-code' })).records)).toEqual([
        'r20',
        'r15',
        'r10',
        'r05',
        'r00',
      ]);
      expect(ids((await ledger.query({ tool: 'claude-code', model: 'gpt-4o' })).records)).toEqual([
        'r15',
        'r05',
      ]);
      expect(ids((await ledger.query({ status: 429 })).records)).toEqual([
        'r24',
        'r20',
        'r16',
        'r12',
        'r08',
        'r04',
        'r00',
      ]);
      // r04 is at 2 May 00:00Z (inclusive); r06 at 02:00Z (exclusive).
      const since = new Date('2024-05-02T00:00:00.000Z');
      const until = new Date('2024-05-02T02:00:00.000Z');
      expect(ids((await ledger.query({ since, until })).records)).toEqual(['r05', 'r04']);
      expect(ids((await ledger.query({ text: 'alice@EXAMPLE' })).records)).toEqual(['r07']);
      expect(ids((await ledger.query({ text: 'R1' })).records)).toEqual([
        'r19',
        'r18',
        'r17',
        'r16',
        'r15',
        'r14',
        'r13',
        'r12',
        'r11',
        'r10',
      ]);
      expect((await ledger.query({ text: 'nobody' })).records).toEqual([]);
    });

    it('filters by status class: ok (< 400) and error (>= 400), in the query itself', async () => {
      const failed = ['r24', 'r20', 'r16', 'r12', 'r08', 'r04', 'r00'];
      expect(ids((await ledger.query({ status: 'error' })).records)).toEqual(failed);
      // A page of 3 is 3 matches, not the newest 3 records filtered afterwards.
      expect(ids((await ledger.query({ status: 'ok', limit: 3 })).records)).toEqual(['r23', 'r22', 'r21']);
      const ok = newestFirst(all).filter((id) => !failed.includes(id));
      expect(ids((await ledger.query({ status: 'ok' })).records)).toEqual(ok);
      const csvIds = (await exported('csv', { status: 'error' }))
        .split('\r\n')
        .slice(1, -1)
        .map((l) => l.split(',')[0]);
      expect(csvIds).toEqual(failed);
      const jsonl = (await exported('jsonl', { status: 'ok' })).trimEnd().split('\n');
      expect(jsonl.map((l) => (JSON.parse(l) as LedgerRecord).id)).toEqual(ok);
    });

    it('pages with a record-id cursor without gaps or repeats', async () => {
      const p1 = await ledger.query({ limit: 10 });
      const p2 = await ledger.query({ limit: 10, before: p1.nextBefore });
      const p3 = await ledger.query({ limit: 10, before: p2.nextBefore });
      expect(p1.nextBefore).toBe('r15');
      expect(p2.nextBefore).toBe('r05');
      expect(p3.nextBefore).toBeUndefined();
      expect([...ids(p1.records), ...ids(p2.records), ...ids(p3.records)]).toEqual(newestFirst(all));
      // A page that ends exactly at the last record has no next page.
      expect((await ledger.query({ limit: 25 })).nextBefore).toBeUndefined();
    });

    it('pages with a filter and with a cursor it has not handed out (after a restart)', async () => {
      const p1 = await ledger.query({ tool: 'aider', limit: 3 });
      expect(ids(p1.records)).toEqual(['r24', 'r23', 'r22']);
      await ledger.close();
      ledger = await open(dir);
      const p2 = await ledger.query({ tool: 'aider', limit: 3, before: p1.nextBefore });
      expect(ids(p2.records)).toEqual(['r21', 'r19', 'r18']);
      expect((await ledger.query({ before: 'no-such-id' })).records).toEqual([]);
    });

    it('gets one record by id, written or queued', async () => {
      expect(await ledger.get('r03')).toEqual(all[3]);
      expect(await ledger.get('r22')).toEqual(all[22]);
      expect(await ledger.get('nope')).toBeUndefined();
    });
  });

  describe('usage', async () => {
    it('groups roll-ups by tool and by tool × model, costliest first', async () => {
      ledger.append(record({ id: 'x', time: '2024-05-01T23:00:00.000Z', tool: 'zed', costUsd: 1 }));
      const byTool = await ledger.usage({ by: ['tool'] });
      expect(byTool.map((r) => [r.tool, r.requests, r.costUsd])).toEqual([
        ['zed', 1, 1],
        ['aider', 20, 0.0087],
        ['claude-code', 5, 0.002175],
      ]);
      expect(byTool[1]).toMatchObject({
        inputTokens: 20_000,
        cachedInputTokens: 4000,
        outputTokens: 10_000,
        unpriced: 0,
      });
      const byToolModel = await ledger.usage({ by: ['tool', 'model'], tool: 'claude-code' });
      expect(byToolModel).toEqual([
        expect.objectContaining({
          tool: 'claude-code',
          model: 'gpt-4o-mini',
          requests: 3,
          costUsd: 0.001305,
        }),
        expect.objectContaining({ tool: 'claude-code', model: 'gpt-4o', requests: 2, costUsd: 0.00087 }),
      ]);
    });

    it('groups by local day within an inclusive range', async () => {
      // Hourly from 1 May 20:00Z: 4 on 1 May, 21 on 2 May (UTC).
      expect((await ledger.usage({ by: ['day'] })).map((r) => [r.day, r.requests])).toEqual([
        ['2024-05-02', 21],
        ['2024-05-01', 4],
      ]);
      expect(await ledger.usage({ by: ['day'], since: '2024-05-02', until: '2024-05-02' })).toHaveLength(1);
      expect(await ledger.usage({ by: [], since: '2024-05-03' })).toEqual([]);
    });

    it('groups by user from detailed records', async () => {
      const rows = await ledger.usage({ by: ['user'], since: '2024-05-02' });
      expect(rows.map((r) => [r.user, r.requests])).toEqual([
        [undefined, 20],
        ['Alice@Example.com', 1],
      ]);
    });
  });

  describe('export', async () => {
    it('writes JSONL that parses back to the same records', async () => {
      const text = await exported('jsonl', { tool: 'claude-code' });
      const lines = text.trimEnd().split('\n');
      expect(lines.map((l) => JSON.parse(l) as LedgerRecord)).toEqual([
        all[20],
        all[15],
        all[10],
        all[5],
        all[0],
      ]);
    });

    it('writes CSV with a header, flattened usage, RFC 4180 quoting and no formulas', async () => {
      ledger.append(
        record({
          id: 'q',
          time: '2024-06-01T00:00:00.000Z',
          user: 'Smith, "J"',
          project: '=HYPERLINK("x")',
          costUsd: 0.0000001,
          failovers: ['anthropic', 'openrouter'],
        }),
      );
      ledger.append(
        record({
          id: 'n',
          time: '2024-06-01T00:00:01.000Z',
          costUsd: null,
          ttfbMs: null,
          errorClass: 'upstream_cut',
        }),
      );
      const text = await exported('csv', { since: new Date('2024-06-01T00:00:00.000Z') });
      expect(text.split('\r\n')).toEqual([
        'id,time,tool,provider,model,family,endpoint,path,status,latencyMs,ttfbMs,streamed,inputTokens,cachedInputTokens,cacheWriteTokens,outputTokens,reasoningTokens,costUsd,estimated,cacheHit,savedUsd,errorClass,user,project,keyLabel,failovers,client,session',
        'n,2024-06-01T00:00:01.000Z,aider,openai,gpt-4o-mini,openai,chat,/v1/chat/completions,200,120,,false,1000,200,0,500,0,,false,false,,upstream_cut,,,,,,',
        'q,2024-06-01T00:00:00.000Z,aider,openai,gpt-4o-mini,openai,chat,/v1/chat/completions,200,120,40,false,1000,200,0,500,0,0.0000001,false,false,,,"Smith, ""J""","\'=HYPERLINK(""x"")",,anthropic;openrouter,,',
        '',
      ]);
    });

    it('fails instead of hanging when the destination closes mid-export', async () => {
      for (let i = 0; i < 2000; i++)
        ledger.append(record({ id: `bulk${i}`, time: '2024-05-03T00:00:00.000Z' }));
      const out = new PassThrough({ highWaterMark: 16 }); // never read: fills at once
      setTimeout(() => out.destroy(), 20);
      await expect(ledger.exportTo('jsonl', {}, out)).rejects.toThrow(/closed/);
    });

    it('refuses appends after close', async () => {
      await ledger.close();
      expect(() => ledger.append(record({ id: 'late', time: '2024-05-03T00:00:00.000Z' }))).toThrow(/closed/);
      expect(ledger.totals({ day: '2024-05-03' }).requests).toBe(0);
    });

    it('exports everything by default and honours limit', async () => {
      expect((await exported('jsonl')).trimEnd().split('\n')).toHaveLength(25);
      expect((await exported('csv', { limit: 2 })).split('\r\n')).toHaveLength(4); // header, 2 rows, ''
    });
  });
});
