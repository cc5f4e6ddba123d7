// What reaches the provider when Shimmy adds stream_options.include_usage: the client's own bytes
// with that one member spliced in (issue 16), over real loopback HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
let token: string;

beforeAll(async () => {
  h = await startHarness();
  token = await h.tool('splice');
});
afterAll(() => h.close());

async function send(body: string): Promise<string> {
  const res = await fetch(`${h.core.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body,
  });
  expect(res.status).toBe(200);
  await res.text();
  return h.upstream.received.at(-1)!.rawBody;
}

describe('stream_options spliced into the client bytes', () => {
  it('sends every other byte as the client wrote it: whitespace, escapes, key order', async () => {
    const body =
      '{\n  "stream": true,\n  "messages": [{"role": "user", "content": "caf\\u00e9 café \\"q\\""}],\n  "model": "gpt-4o-mini"\n}\n';
    expect(await send(body)).toBe(
      '{\n  "stream": true,\n  "messages": [{"role": "user", "content": "caf\\u00e9 café \\"q\\""}],\n  "model": "gpt-4o-mini","stream_options":{"include_usage":true}\n}\n',
    );
  });

  it('sets include_usage in the stream_options the provider would read, dropping an earlier repeat', async () => {
    const body =
      '{"model":"gpt-4o-mini","stream_options":{"include_usage":true},"stream":true, "stream_options" : {"include_usage":false}, "messages":[]}';
    expect(await send(body)).toBe(
      '{"model":"gpt-4o-mini","stream":true, "stream_options" : {"include_usage":true}, "messages":[]}',
    );
  });

  it('a body over 1 MiB goes as spliced pieces (never joined), byte for byte', async () => {
    // Small bodies are joined into one buffer before sending; big ones go as the client's own
    // buffer slices with the change between them. Both must arrive identical.
    const text = 'x'.repeat(2 * 1024 * 1024);
    const body = `{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"${text}"}]}`;
    expect(await send(body)).toBe(
      `{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"${text}"}],"stream_options":{"include_usage":true}}`,
    );
  });

  it('a body over 1 MiB with nothing to change goes as the client sent it, written a turn at a time', async () => {
    const text = 'y'.repeat(3 * 1024 * 1024 + 5);
    const body = `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"${text}"}]}`;
    expect(await send(body)).toBe(body);
  });
});

// The output limit a budget chose (issue 11's caps) goes into the client's bytes the same way: only
// the limit members change (issue 16: the capped body used to be re-serialized whole).
describe('the output limit a budget chose, spliced into the client bytes', () => {
  async function sendAs(
    path: string,
    headers: Record<string, string>,
    body: string,
  ): Promise<{ sent: string; capped: string | null }> {
    const res = await fetch(`${h.core.url}${path}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body,
    });
    expect(res.status).toBe(200);
    await res.text();
    return {
      sent: h.upstream.received.at(-1)!.rawBody,
      capped: res.headers.get('x-shimmy-max-tokens-capped'),
    };
  }

  it('appends the model maximum to a request that named no limit, every other byte as sent', async () => {
    // gpt-4o-mini writes at most 16,384 tokens (platform.openai.com/docs/models/gpt-4o-mini): under
    // a $1 budget that fits ($0.60 per 1M output → $0.0098), so the limit is written, not lowered.
    const token = await h.tool('splice-max', { dailyUsd: 1 });
    const body =
      '{\n  "model": "gpt-4o-mini",\n  "messages": [{"role": "user", "content": "caf\\u00e9 \\"q\\""}]\n}\n';
    const { sent, capped } = await sendAs('/v1/chat/completions', { authorization: `Bearer ${token}` }, body);
    expect(capped).toBeNull();
    expect(sent).toBe(
      '{\n  "model": "gpt-4o-mini",\n  "messages": [{"role": "user", "content": "caf\\u00e9 \\"q\\""}],"max_tokens":16384\n}\n',
    );
  });

  it('lowers max_tokens and the thinking budget in place (Anthropic), every other byte as sent', async () => {
    // claude-opus-4-1: $15 in / $75 out per 1M (anthropic.com/pricing, 2026-11-27); $1 pays for
    // ~13,331 output tokens after the few the prompt costs: lowered from 32,000.
    const token = await h.tool('splice-cap', { dailyUsd: 1 });
    const body =
      '{"model": "claude-opus-4-1", "max_tokens": 32000,\n "thinking": {"type": "enabled", "budget_tokens": 31999},\n "messages": [{"role": "user", "content": "hi"}]}';
    const { sent, capped } = await sendAs(
      '/v1/messages',
      { 'x-api-key': token, 'anthropic-version': '2023-06-01' },
      body,
    );
    const limit = Number(capped);
    expect(limit).toBeGreaterThan(13_300);
    expect(limit).toBeLessThanOrEqual(13_333);
    // The thinking budget keeps the request's ratio: floor(31,999 × limit / 32,000).
    const thinking = Math.floor((31_999 * limit) / 32_000);
    expect(sent).toBe(
      `{"model": "claude-opus-4-1", "max_tokens": ${limit},\n "thinking": {"type":"enabled","budget_tokens":${thinking}},\n "messages": [{"role": "user", "content": "hi"}]}`,
    );
  });

  it('a capped body over 1 MiB with stream_options added too goes as spliced pieces, byte for byte', async () => {
    const token = await h.tool('splice-big', { dailyUsd: 1 });
    const text = 'y'.repeat(2 * 1024 * 1024);
    const body = `{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"${text}"}] }`;
    const { sent } = await sendAs('/v1/chat/completions', { authorization: `Bearer ${token}` }, body);
    expect(sent).toBe(
      `{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"${text}"}],"stream_options":{"include_usage":true},"max_tokens":16384 }`,
    );
  });
});
