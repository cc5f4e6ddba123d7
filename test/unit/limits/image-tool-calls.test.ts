import { describe, expect, it } from 'vitest';
import {
  imageToolCalls,
  imageToolUsd,
  withImagePrompts,
} from '../../../main/core/limits/image-tool-calls.js';

// Image output tokens per image: OpenAI image-generation guide, "Cost and latency" (checked
// 2026-11-27): high 1024×1024 4,160, medium 1024×1024 1,056, the dearest (high 1024×1536) 6,240.
describe('imageToolCalls', () => {
  const tool = { type: 'image_generation', size: '1024x1024', quality: 'high' };

  it('is undefined without an image generation tool, off the Responses API, or with max_tool_calls 0', () => {
    expect(imageToolCalls('responses', { tools: [{ type: 'web_search' }] })).toBeUndefined();
    expect(imageToolCalls('chat', { tools: [tool] })).toBeUndefined();
    expect(imageToolCalls('responses', { tools: [tool], max_tool_calls: 0 })).toBeUndefined();
  });

  it('reads one image per allowed call, and writes 8 calls where the request names none', () => {
    expect(imageToolCalls('responses', { tools: [tool], max_tool_calls: 3 })).toEqual({
      images: 3,
      tools: [{ model: 'gpt-image-1', perImage: 4160 }],
    });
    const unbounded = {
      images: 8,
      tools: [{ model: 'gpt-image-1', perImage: 4160 }],
      edits: { max_tool_calls: '8' },
    };
    expect(imageToolCalls('responses', { tools: [tool] })).toEqual(unbounded);
    // Not a count the API would take: replaced by the bound.
    expect(imageToolCalls('responses', { tools: [tool], max_tool_calls: -2 })).toEqual(unbounded);
  });

  it('reads max_tool_calls written as a string as its number, as a lax server does', () => {
    // pydantic's lax int (vLLM and other OpenAI-compatible servers) reads "5" as 5 and "0" as 0.
    // Read as unbounded, "5" was rewritten to 8: three more images than the client allowed.
    expect(imageToolCalls('responses', { tools: [tool], max_tool_calls: '5' })).toEqual({
      images: 5,
      tools: [{ model: 'gpt-image-1', perImage: 4160 }],
    });
    expect(imageToolCalls('responses', { tools: [tool], max_tool_calls: ' 0 ' })).toBeUndefined();
  });

  it("prices each tool at its own model and size; a tool's `n` is not read", () => {
    const calls = imageToolCalls('responses', {
      tools: [
        { type: 'image_generation', model: 'gpt-image-1-mini', quality: 'medium', size: '1024x1024', n: 10 },
        { type: 'image_generation' },
      ],
      max_tool_calls: 1,
    });
    expect(calls?.tools).toEqual([
      { model: 'gpt-image-1-mini', perImage: 1056 },
      { model: 'gpt-image-1', perImage: 6240 },
    ]);
  });
});

describe('imageToolUsd', () => {
  // gpt-image-1: $5 per 1M text input tokens, $40 per 1M image output tokens
  // (openai.com/api/pricing, read 2026-11-29).
  const perToken = (u: { inputTokens: number; outputImageTokens?: number }) =>
    u.inputTokens * 5e-6 + (u.outputImageTokens ?? 0) * 40e-6;

  it('reserves the dearest image once per call', () => {
    const calls = {
      images: 2,
      tools: [
        { model: 'a', perImage: 1056 },
        { model: 'b', perImage: 4160 },
      ],
    };
    // 2 × 4,160 × 40e-6 = $0.3328; one image 4,160 × 40e-6 = $0.1664.
    expect(imageToolUsd(calls, (_, u) => perToken(u))).toEqual({
      usd: expect.closeTo(0.3328, 10),
      perImageUsd: expect.closeTo(0.1664, 10),
      promptUsd: expect.any(Function),
    });
  });

  it("prices the prompts at the dearest image model's text input", () => {
    const calls = {
      images: 1,
      tools: [
        { model: 'gpt-image-1-mini', perImage: 1056 },
        { model: 'gpt-image-1', perImage: 4160 },
      ],
    };
    // gpt-image-1-mini $2 per 1M text in, gpt-image-1 $5 (openai.com/api/pricing, read
    // 2026-11-29): 1,000 tokens of prompt at the dearer, 1,000 × 5e-6 = $0.005.
    const reserved = imageToolUsd(calls, (m, u) =>
      m === 'gpt-image-1' ? perToken(u) : u.inputTokens * 2e-6 + (u.outputImageTokens ?? 0) * 8e-6,
    );
    expect('promptUsd' in reserved && reserved.promptUsd(1000)).toBeCloseTo(0.005, 10);
  });

  it('an image model with no text-input price cannot be priced', () => {
    const calls = { images: 1, tools: [{ model: 'images-only', perImage: 4160 }] };
    expect(imageToolUsd(calls, (_, u) => (u.inputTokens > 0 ? null : perToken(u)))).toEqual({
      unpriced: 'images-only',
    });
  });

  it('names the image model it could not price', () => {
    const calls = { images: 1, tools: [{ model: 'gpt-image-unknown', perImage: 4160 }] };
    expect(imageToolUsd(calls, () => null)).toEqual({ unpriced: 'gpt-image-unknown' });
  });
});

describe('withImagePrompts', () => {
  it('adds each output token again as prompt the image model reads', () => {
    // gpt-5 $1.25 in / $10 out per 1M; the prompts at gpt-image-1's $5 per 1M text in
    // (openai.com/api/pricing, read 2026-11-29): 8 × 1.25e-6 + 1,000 × (10e-6 + 5e-6) = $0.01501.
    const gpt5 = (u: { inputTokens: number; outputTokens: number }) =>
      u.inputTokens * 1.25e-6 + u.outputTokens * 10e-6;
    const cost = withImagePrompts(gpt5, (t) => t * 5e-6);
    const usage = {
      inputTokens: 8,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      outputTokens: 1000,
      reasoningTokens: 0,
    };
    expect(cost(usage)).toBeCloseTo(0.01501, 10);
    expect(cost({ ...usage, outputTokens: 0 })).toBeCloseTo(0.00001, 10);
    expect(
      withImagePrompts(
        () => null,
        (t) => t,
      )(usage),
    ).toBeNull();
  });
});

describe('imageToolCalls, the images it reads', () => {
  it('each call reads the conversation’s images and the mask at the image model’s input rate', () => {
    // A 1024×1024 PNG by data URL (194 tokens), one by URL (size unknown: 581), and a mask (581).
    const b = Buffer.alloc(24);
    b.writeUInt32BE(0x89504e47, 0);
    b.writeUInt32BE(1024, 16);
    b.writeUInt32BE(1024, 20);
    const body = {
      max_tool_calls: 2,
      tools: [
        { type: 'image_generation', quality: 'low', size: '1024x1024', input_image_mask: { file_id: 'f' } },
      ],
      input: [
        {
          role: 'user',
          content: [
            { type: 'input_image', image_url: `data:image/png;base64,${b.toString('base64')}` },
            { type: 'input_image', image_url: 'https://example.com/a.png' },
          ],
        },
      ],
    };
    expect(imageToolCalls('responses', body)?.tools).toEqual([
      { model: 'gpt-image-1', perImage: 272, reads: 194 + 581 + 581 },
    ]);
  });
});
