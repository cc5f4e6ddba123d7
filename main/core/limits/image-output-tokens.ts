// The worst case of an image-generation request, in the units gpt-image models bill: image
// output tokens per image, by size and quality (OpenAI image-generation guide, "Cost and
// latency", checked 2026-11-27), times `n`. An unknown or `auto` size/quality is reserved at the
// dearest entry; streamed partial images add 100 tokens each. Models billed per image (DALL·E)
// are priced by their own unit and do not read this.
import { laxCount } from './output-limit-field.js';

const TOKENS: Record<string, Record<string, number>> = {
  low: { '1024x1024': 272, '1024x1536': 408, '1536x1024': 400 },
  medium: { '1024x1024': 1056, '1024x1536': 1584, '1536x1024': 1568 },
  high: { '1024x1024': 4160, '1024x1536': 6240, '1536x1024': 6208 },
};
const PARTIAL_IMAGE_TOKENS = 100;
/** Most images one request may ask for (the API's own bound on `n`). */
const MAX_IMAGES = 10;

export function imageOutputTokens(body: unknown): { perImage: number; images: number } {
  const b = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const quality = typeof b.quality === 'string' && TOKENS[b.quality] ? [b.quality] : Object.keys(TOKENS);
  const size = typeof b.size === 'string' ? b.size : 'auto';
  let perImage = 0;
  for (const q of quality) {
    const bySize = TOKENS[q]!;
    perImage = Math.max(perImage, bySize[size] ?? Math.max(...Object.values(bySize)));
  }
  // Counts as the server reads them: /v1/images/edits is a multipart form, where the SDK sends
  // `n: 10` as "10" (reserved as one image while only JSON integers were read).
  const partials = Math.max(0, Math.min(3, laxCount(b.partial_images) ?? 0));
  const n = Math.max(1, Math.min(MAX_IMAGES, laxCount(b.n) ?? 1));
  return { perImage: perImage + partials * PARTIAL_IMAGE_TOKENS, images: n };
}
