import { describe, expect, it } from 'vitest';
import { imageToolCalls, imageToolUsd } from '../../../main/core/limits/image-tool-calls.js';

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
  // gpt-image-1: $40 per 1M image output tokens (openai.com/api/pricing, read 2026-11-29).
  const perToken = (u: { outputImageTokens?: number }) => (u.outputImageTokens ?? 0) * 40e-6;

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
    });
  });

  it('names the image model it could not price', () => {
    const calls = { images: 1, tools: [{ model: 'gpt-image-unknown', perImage: 4160 }] };
    expect(imageToolUsd(calls, () => null)).toEqual({ unpriced: 'gpt-image-unknown' });
  });
});
