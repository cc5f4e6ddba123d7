// Which searchable values a batch must add to the `terms` table: each new one once, none known.
import { describe, expect, it } from 'vitest';
import { KnownTerms } from '../../../main/core/ledger/search-terms.js';
import { toRow } from '../../../main/core/store/record-row.js';
import { sampleRecord } from '../../../main/core/store/samples.js';

const row = (tool: string, model: string) => toRow({ ...sampleRecord, tool, model }, '2024-01-01');
const sorted = (t: { col: string; value: string }[]) => t.map((x) => `${x.col}=${x.value}`).sort();

describe('known search terms', () => {
  it('lists each value never committed once, and forgets none it was told of', () => {
    const k = new KnownTerms();
    const first = k.fresh([row('aider', 'gpt-5'), row('aider', 'gpt-5-mini')]);
    expect(sorted(first).filter((t) => /^(tool|model)=/.test(t))).toEqual([
      'model=gpt-5',
      'model=gpt-5-mini',
      'tool=aider',
    ]);
    k.remember(first);
    expect(k.fresh([row('aider', 'gpt-5')])).toEqual([]);
    expect(sorted(k.fresh([row('codex', 'gpt-5')]))).toEqual(['tool=codex']);
  });

  it('starts from the terms the table already holds', () => {
    const k = new KnownTerms([{ col: 'tool', value: 'aider' }]);
    expect(sorted(k.fresh([row('aider', 'gpt-5')])).some((t) => t === 'tool=aider')).toBe(false);
  });
});
