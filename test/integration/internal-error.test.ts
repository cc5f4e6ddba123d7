// A failure inside Shimmy that is not a refusal (a bug, a store that throws) on the real request
// path: answered 500 in the caller's format, recorded as an error, and its reservation released —
// before, the client got an empty 500, no record was written and the reservation held the budget
// until a restart. The failing part is one of the core's own dependencies, wrapped through
// startCore's `proxyDeps` (no module mocks).
// Price: gpt-4o-mini $0.15 in / $0.60 out per 1M tokens (openai.com/api/pricing, checked 2026-11-28).
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
/** The next call of each wrapped dependency throws once. */
const failNext = { keyOrder: false, auth: false, answer: false };
beforeAll(async () => {
  h = await startHarness({
    core: {
      proxyDeps: (d) => ({
        ...d,
        keyHealth: {
          ...d.keyHealth,
          order(provider, keys) {
            if (failNext.keyOrder) {
              failNext.keyOrder = false;
              throw new Error('key health store failed');
            }
            return d.keyHealth.order(provider, keys);
          },
        },
        // The answer's headers cannot be read: fails after the request reached the provider.
        upstream: async (req) => {
          const answer = await d.upstream(req);
          if (!failNext.answer) return answer;
          failNext.answer = false;
          return {
            status: answer.status,
            body: answer.body,
            get rawHeaders(): never {
              throw new Error('answer handling failed');
            },
            get headers(): never {
              throw new Error('answer handling failed');
            },
          };
        },
        auth: {
          ...d.auth,
          authenticate(token, at) {
            if (failNext.auth) {
              failNext.auth = false;
              throw new Error('token index failed');
            }
            return d.auth.authenticate(token, at);
          },
        },
      }),
    },
  });
});
afterAll(() => h.close());

describe('an internal failure on the request path', () => {
  it('answers 500 in the caller format, records it and releases its reservation', async () => {
    // $0.01 a day; each request may write 10,000 tokens = $0.006 (+ a few input tokens): one
    // request's worst case fits, two do not.
    const token = await h.tool('broken', { dailyUsd: 0.01 });
    const openai = new OpenAI({ baseURL: `${h.core.url}/v1`, apiKey: token, maxRetries: 0 });
    const ask = () =>
      openai.chat.completions
        .create({ model: 'gpt-4o-mini', max_tokens: 10_000, messages: [{ role: 'user', content: 'hi' }] })
        .withResponse();

    failNext.keyOrder = true; // after admission, before anything goes upstream
    const err = (await ask().catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(err).toBeInstanceOf(OpenAI.InternalServerError);
    expect(err.status).toBe(500);
    expect(err.code).toBe('internal_error');
    expect(err.type).toBe('api_error');
    expect(err.headers?.get('x-shimmy-request-id')).toBeTruthy();
    expect(h.upstream.received.length).toBe(0);

    await expect
      .poll(() => h.records('broken'))
      .toMatchObject([{ status: 500, errorClass: 'internal_error', costUsd: 0 }]);

    // The failed request's $0.006 is free again: the next one is admitted whole, not capped.
    const { response } = await ask();
    expect(response.status).toBe(200);
    expect(response.headers.get('x-shimmy-max-tokens-capped')).toBeNull();
  });

  it('keeps the worst case of a request that had reached the provider when it fails', async () => {
    // Same budget and request as above: the provider may bill a request it received, so its
    // reservation (10,000 output tokens × $0.60/1M = $0.006, plus a few input tokens) stays spent.
    const token = await h.tool('broken-late', { dailyUsd: 0.01 });
    const openai = new OpenAI({ baseURL: `${h.core.url}/v1`, apiKey: token, maxRetries: 0 });
    const ask = () =>
      openai.chat.completions
        .create({ model: 'gpt-4o-mini', max_tokens: 10_000, messages: [{ role: 'user', content: 'hi' }] })
        .withResponse();
    const before = h.upstream.received.length;
    failNext.answer = true;
    const err = (await ask().catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(err.status).toBe(500);
    expect(err.code).toBe('internal_error');
    expect(h.upstream.received.length).toBe(before + 1);
    await expect
      .poll(() => h.records('broken-late'))
      .toMatchObject([{ status: 500, errorClass: 'internal_error', estimated: true }]);
    const [record] = await h.records('broken-late');
    expect(record!.costUsd).toBeGreaterThanOrEqual(0.006);
    expect(record!.costUsd).toBeLessThan(0.0061);
    // $0.004 left: the next request is capped to what that pays for.
    const { response } = await ask();
    expect(Number(response.headers.get('x-shimmy-max-tokens-capped'))).toBeLessThan(10_000);
  });

  it('answers 500 in Anthropic format when the token lookup itself fails', async () => {
    const token = await h.tool('claude');
    const anthropic = new Anthropic({ baseURL: h.core.url, apiKey: token, maxRetries: 0 });
    failNext.auth = true;
    const err = (await anthropic.messages
      .create({ model: 'claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e)) as InstanceType<typeof Anthropic.APIError>;
    expect(err).toBeInstanceOf(Anthropic.InternalServerError);
    expect(err.error).toMatchObject({ type: 'error', error: { type: 'api_error' } });
    // The next request goes through.
    const ok = await anthropic.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(ok.type).toBe('message');
  });
});
