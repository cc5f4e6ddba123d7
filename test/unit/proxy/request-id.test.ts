import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { newRequestId } from '../../../main/core/proxy/request-id.js';

describe('request ids', () => {
  it('are UUIDv7: version 7, RFC 9562 variant, the current millisecond in the first 48 bits', () => {
    const before = Date.now();
    const id = newRequestId();
    const after = Date.now();
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const ms = parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(after);
  });

  it('sort in the order they were made, a millisecond apart (the ledger index grows at its end)', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      ids.push(newRequestId());
      await sleep(2);
    }
    expect([...ids].sort()).toEqual(ids);
  });

  it('are unique across pool refills (256 ids a refill)', () => {
    const ids = new Set(Array.from({ length: 5000 }, () => newRequestId()));
    expect(ids.size).toBe(5000);
  });
});
