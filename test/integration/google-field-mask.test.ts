// Every Google API takes "system parameters" beside the request: a response field mask (`fields`,
// `$fields` or the `X-Goog-FieldMask` header) returns only the fields it names, and `alt` / `$alt`
// (json, proto, media, sse) and `callback` change the answer's format
// (docs.cloud.google.com/apis/docs/system-parameters, read 2026-11-29). A tool that asked Gemini
// for `fields=candidates` got its answer without `usageMetadata`: Shimmy priced it from the text it
// could see, and a thinking model's thoughts are never in that text. Ten gemini-2.5-pro answers
// that thought 1,900 tokens each went out on a $0.05/day budget (found by red15, 2026-11-29). A
// request that would hide its answer's usage this way is refused.
// Price: gemini-2.5-pro $1.25 in / $10 out (thinking included) per 1M tokens up to 200K input
// (ai.google.dev/gemini-api/docs/pricing#gemini-2.5-pro, read 2026-11-29; the bundled
// @pydantic/genai-prices entry).
import { expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import { geminiAnswer, harnessOnJsonProvider, postStatus } from '../support/json-provider.js';

const THINKING = 1_900;
const INPUT = 8;

let h: Harness;
/** USD the provider billed. */
let billedUsd = 0;

harnessOnJsonProvider(
  ['google'],
  (x) => (h = x),
  (path, _, __, headers) => {
    // 8 × 1.25e-6 + (1,900 + 1) × 10e-6 = $0.01902
    billedUsd += INPUT * 1.25e-6 + (THINKING + 1) * 10e-6;
    const answer = geminiAnswer({
      model: 'gemini-2.5-pro',
      text: 'Hi',
      finishReason: 'STOP',
      input: INPUT,
      outputTokens: 1,
      candidate: { index: 0 },
      usage: { thoughtsTokenCount: THINKING },
    });
    // A field mask keeps only the top-level fields it names (enough for this test).
    const params = new URL(path, 'http://x').searchParams;
    const mask = params.get('fields') ?? params.get('$fields') ?? headers['x-goog-fieldmask'];
    if (typeof mask === 'string') {
      const keep = mask.split(',').map((f) => f.trim().split(/[.(/]/)[0]);
      for (const k of Object.keys(answer)) if (!keep.includes(k)) delete answer[k];
    }
    return answer;
  },
);

const ask = (token: string, query: string, headers: Record<string, string> = {}) =>
  postStatus(
    h,
    `/v1beta/models/gemini-2.5-pro:generateContent${query}`,
    token,
    { contents: [{ role: 'user', parts: [{ text: 'hi' }] }], generationConfig: { maxOutputTokens: 2_000 } },
    headers,
  );

it.each([
  ['?fields=candidates', {}],
  ['?%24fields=candidates', {}],
  ['', { 'x-goog-fieldmask': 'candidates' }],
])('ten answers masked to their candidates (%s %o), on a $0.05/day budget', async (query, headers) => {
  const tool = `masks-${Math.random().toString(36).slice(2)}`;
  const token = await h.tool(tool, { dailyUsd: 0.05 });
  const before = billedUsd;
  // Each reserved ≥ 2,000 × 10e-6 = $0.02: two fit in $0.05, a third does not.
  const statuses: number[] = [];
  for (let i = 0; i < 10; i++) statuses.push(await ask(token, query, headers));
  await expect.poll(async () => (await h.records(tool)).length).toBe(10);
  const billed = billedUsd - before;
  const spent = await h.spentBy(tool);
  // Before: 10 answered, billed 10 × $0.01902 = $0.19 on the $0.05 budget, recorded ~$0.00002.
  const figures = `provider billed $${billed.toFixed(5)} on a $0.05 budget, Shimmy recorded $${spent}`;
  expect(billed, figures).toBeLessThanOrEqual(0.05);
  expect(spent, figures).toBeGreaterThanOrEqual(billed);
  expect(statuses.filter((s) => s !== 200).length).toBeGreaterThan(0);
});

it('the formats real clients ask for still pass: alt=json, $alt=json;enum-encoding=int, prettyPrint', async () => {
  const token = await h.tool('plain-alt', { dailyUsd: 1 });
  expect(await ask(token, '?alt=json')).toBe(200);
  expect(await ask(token, '?%24alt=json%3Benum-encoding%3Dint')).toBe(200);
  expect(await ask(token, '?prettyPrint=false')).toBe(200);
  // 3 × $0.01902, priced from the usage each answer carried.
  await expect
    .poll(() => h.spentBy('plain-alt'))
    .toBeCloseTo(3 * (INPUT * 1.25e-6 + (THINKING + 1) * 10e-6), 10);
});

it.each(['?alt=proto', '?callback=f', '?%24ct=application%2Fx-protobuf'])(
  'a format Shimmy cannot read the usage of is refused: %s',
  async (query) => {
    const token = await h.tool(`alt-${Math.random().toString(36).slice(2)}`, { dailyUsd: 1 });
    const before = billedUsd;
    expect(await ask(token, query)).toBe(400);
    expect(billedUsd - before).toBe(0);
  },
);
