// The cost the ledger recorded for a tool's only request, once it is there: null when it was
// recorded unpriced (the case the unpriced-answer tests check for).
import { expect } from 'vitest';
import type { Harness } from './harness.js';

export async function onlyRecordedCost(h: Harness, tool: string): Promise<number | null> {
  const records = async () => (await h.admin.call('listRequests', { query: { tool } })).records;
  await expect.poll(async () => (await records()).length).toBe(1);
  return (await records())[0]!.costUsd;
}
