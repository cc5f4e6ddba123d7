// Answers of the fake upstream for the issue-16 scenarios (scripts/bench/streams.mjs), chosen by
// the request header `x-bench-answer` so the upstream never has to parse a big body:
//   slow:N:MS      a chat stream of N content chunks, one every MS ms (all streams share one timer)
//   hold:BYTES:MS  a chat stream of about BYTES of chunks written at once, then held open MS ms
//   big            a short chat stream; the request body is not parsed (it may be 20 MB)
// Usage comes last when the body asks for it (`"include_usage":true` found in its bytes).
const MODEL = 'gpt-4o-mini-2024-07-18';
const USAGE = { prompt_tokens: 38, completion_tokens: 20, total_tokens: 58 };
const chunk = (choices, usage) =>
  `data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1, model: MODEL, system_fingerprint: 'fp_bench0001', choices, ...(usage === undefined ? {} : { usage }) })}\n\n`;
// With include_usage every chunk before the usage chunk carries `"usage":null`, as OpenAI sends it
// (WIRE-FACTS.md): what Shimmy strips for a client that did not ask.
const content = (i, includeUsage) =>
  chunk(
    [{ index: 0, delta: { content: ` tok${i % 1000}` }, logprobs: null, finish_reason: null }],
    includeUsage ? null : undefined,
  );
const head = (includeUsage) =>
  chunk(
    [{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }],
    includeUsage ? null : undefined,
  );
const tail = (includeUsage) =>
  chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }], includeUsage ? null : undefined) +
  (includeUsage ? chunk([], USAGE) : '') +
  'data: [DONE]\n\n';

const slow = new Set();
let ticker;
function tick() {
  for (const s of slow) {
    if (s.res.destroyed) slow.delete(s);
    else if (s.left-- > 0) s.res.write(content(s.left, s.includeUsage));
    else {
      slow.delete(s);
      s.res.end(tail(s.includeUsage));
    }
  }
  if (slow.size === 0) {
    clearInterval(ticker);
    ticker = undefined;
  }
}

/** Answers `req` if it carries x-bench-answer (returns true), else leaves it to the caller. */
export function benchAnswer(req, res, body) {
  const spec = req.headers['x-bench-answer'];
  if (typeof spec !== 'string') return false;
  const includeUsage = body.indexOf('"include_usage":true') >= 0;
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
  res.write(head(includeUsage));
  const [mode, a, b] = spec.split(':');
  if (mode === 'slow') {
    slow.add({ res, left: Number(a), includeUsage });
    ticker ??= setInterval(tick, Number(b));
  } else if (mode === 'hold') {
    let sent = 0;
    let batch = '';
    for (let i = 0; sent < Number(a); i++) {
      const c = content(i, includeUsage);
      // Counted without the `"usage":null` a proxy strips: its client still gets BYTES.
      sent += content(i, false).length;
      batch += c;
      if (batch.length > 16_384) {
        res.write(batch);
        batch = '';
      }
    }
    res.write(batch);
    setTimeout(() => res.end(tail(includeUsage)), Number(b)).unref();
  } else {
    for (let i = 0; i < 20; i++) res.write(content(i, includeUsage));
    res.end(tail(includeUsage));
  }
  return true;
}
