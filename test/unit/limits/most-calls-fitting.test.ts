// The most built-in tool calls a budget can pay for (web-search-uses.ts, mostCallsFitting),
// checked against counting down one by one.
import { expect, it } from 'vitest';
import { mostCallsFitting } from '../../../main/core/limits/web-search-uses.js';

it('finds the most calls that fit, asking about few of them', () => {
  for (let most = 1; most <= 40; most++)
    for (let limit = 0; limit <= 45; limit++) {
      const asked: number[] = [];
      const found = mostCallsFitting(
        most,
        (n) => (asked.push(n), n),
        (n) => n <= limit,
      );
      let slow = most;
      while (slow > 1 && slow > limit) slow--;
      expect(found).toBe(slow);
      expect(asked.length).toBeLessThanOrEqual(2 + Math.ceil(Math.log2(most + 1)));
    }
});
