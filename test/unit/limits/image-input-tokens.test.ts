import { describe, expect, it } from 'vitest';
import { editImageTokens, jsonEditImages } from '../../../main/core/limits/image-input-tokens.js';
import { pngDataUrl } from '../../support/png-header.js';

/** input_fidelity "high": about $0.062 an image at $10 per 1M image input tokens (community.openai.com
 *  t/gpt-image-1-collected-pricing-information-and-why-responses-is-undocumented/1275254, read
 *  2026-11-29), reserved as the largest high-quality image's 6,240 tokens. */
const HIGH_FIDELITY_EXTRA = 6_240;

describe('editImageTokens', () => {
  it('a square input is one 512-px tile, 194 tokens (as measured)', () => {
    expect(editImageTokens('gpt-image-1', [{ width: 1024, height: 1024 }], {})).toBe(194);
  });

  it('a 512×513 input is two tiles; a long strip four; an unreadable one four', () => {
    expect(editImageTokens('gpt-image-1', [{ width: 512, height: 513 }], {})).toBe(65 + 2 * 129);
    expect(editImageTokens('gpt-image-1', [{ width: 8000, height: 100 }], {})).toBe(65 + 4 * 129);
    expect(editImageTokens('gpt-image-1', [null], {})).toBe(65 + 4 * 129);
  });

  it('high input fidelity adds its extra per image; DALL·E bills no input', () => {
    const two = [
      { width: 1024, height: 1024 },
      { width: 1024, height: 1024 },
    ];
    expect(editImageTokens('gpt-image-1', two, { input_fidelity: 'high' })).toBe(
      2 * (194 + HIGH_FIDELITY_EXTRA),
    );
    expect(editImageTokens('dall-e-2', two, {})).toBe(0);
  });
});

describe('jsonEditImages', () => {
  it("reads a data URL's size; a file id, a remote URL and the mask are unknown", () => {
    expect(
      jsonEditImages({
        images: [
          { image_url: pngDataUrl(1024, 768) },
          { file_id: 'file-a' },
          { image_url: 'https://x/b.png' },
        ],
        mask: { file_id: 'file-m' },
      }),
    ).toEqual([{ width: 1024, height: 768 }, null, null, null]);
  });

  it('a body without images (a generation) has none', () => {
    expect(jsonEditImages({ prompt: 'a cat' })).toEqual([]);
    expect(jsonEditImages(undefined)).toEqual([]);
  });
});
