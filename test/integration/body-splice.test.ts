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
});
