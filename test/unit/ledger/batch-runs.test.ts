// A batch's roll-up increments and new search terms when rows repeat the previous row's key (the
// shortcut write-queue.ts and search-terms.ts take) are what the key-by-key path gives.
import { describe, expect, it } from 'vitest';
import { wideDeltas } from '../../../main/core/ledger/write-queue.js';
import { KnownTerms } from '../../../main/core/ledger/search-terms.js';
import { toRow, type RequestRow } from '../../../main/core/store/record-row.js';
import { sampleRecord } from '../../../main/core/store/samples.js';
import type { LedgerRecord } from '../../../shared/ledger.js';

const row = (over: Partial<LedgerRecord>, costUsd = 0.001): RequestRow =>
  toRow({ ...sampleRecord, costUsd, ...over }, '2026-11-30');

describe('a batch of repeated keys', () => {
  it('sums each wide roll-up key once, a null user with an empty one, runs or not', () => {
    const a = { tool: 'aider', model: 'gpt-5' };
    const rows = [
      row(a),
      row(a),
      row({ ...a, model: 'gpt-5-mini' }),
      row(a),
      row({ ...a, user: '' }), // the same key as no user
      row({ ...a, user: '' }),
      row({ ...a, user: 'ann' }),
      row(a, 0.002),
    ];
    const byKey = Object.fromEntries(
      wideDeltas(rows).map((d) => [`${d.model}/${d.user}`, [d.sums.requests, d.sums.cost_e10]]),
    );
    // Costs in 1e-10 USD: 0.001 USD = 10,000,000; the last row 0.002 USD = 20,000,000.
    expect(byKey).toEqual({
      'gpt-5/': [6, 5 * 10_000_000 + 20_000_000],
      'gpt-5-mini/': [1, 10_000_000],
      'gpt-5/ann': [1, 10_000_000],
    });
  });

  it('lists each new search term once across runs of the same values', () => {
    const rows = [
      row({ tool: 'aider' }),
      row({ tool: 'aider' }),
      row({ tool: 'codex' }),
      row({ tool: 'aider' }),
    ];
    const tools = new KnownTerms([{ col: 'tool', value: 'codex' }])
      .fresh(rows)
      .filter((t) => t.col === 'tool')
      .map((t) => t.value);
    expect(tools).toEqual(['aider']);
  });
});
