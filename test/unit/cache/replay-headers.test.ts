import { describe, expect, it } from 'vitest';
import { replayableHeaders } from '../../../main/core/cache/index.js';

describe('replayableHeaders', () => {
  it('keeps content type and provider ids, drops framing, cookies, hop-by-hop and stale rate limits', () => {
    const out = replayableHeaders({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'x-request-id': 'req_1',
      'request-id': 'req_2',
      'openai-processing-ms': '120',
      'Content-Length': '42',
      'content-encoding': 'gzip',
      'transfer-encoding': 'chunked',
      connection: 'keep-alive, x-private',
      'x-private': 'secret',
      'keep-alive': 'timeout=5',
      'set-cookie': '__cf_bm=1',
      'x-ratelimit-remaining-requests': '99',
      'anthropic-ratelimit-tokens-remaining': '1000',
      'retry-after': '3',
      'x-shimmy-cache': 'miss',
      date: 'Mon, 01 Jan 2024 00:00:00 GMT',
    });
    expect(out).toEqual({
      'content-type': 'text/event-stream; charset=utf-8',
      'x-request-id': 'req_1',
      'request-id': 'req_2',
      'openai-processing-ms': '120',
    });
  });
});
