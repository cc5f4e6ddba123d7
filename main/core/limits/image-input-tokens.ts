// The images a gpt-image edit is given, billed as image input tokens apart from the image it
// writes. Like vision input: 65 base + 129 per 512-px tile (platform.openai.com/docs/guides/
// images-vision, "Calculating costs", read 2026-11-29), after fitting the image in 2,048 × 2,048
// and scaling its short side to 512 — a 1024×1024 input measured at 194 tokens, a 512×513 one at
// two tiles (community.openai.com/t/vision-pricing-calculator-inaccurate-resizing-rounding-vs-api-
// costs/1281361, read 2026-11-29). So at most 4 tiles (2,048 × 512): 581 tokens where the size
// cannot be read. `input_fidelity: "high"` adds about $0.062 an image at $10 per 1M
// (community.openai.com/t/gpt-image-1-collected-pricing-information-and-why-responses-is-
// undocumented/1275254, read 2026-11-29; OpenAI publishes no formula): reserved as 6,240 more, the
// largest high-quality image's token count. DALL·E models bill per image, not their input.
import { base64Head, imageSize, type ImageSize } from '../meter/image-size.js';
import { bareModel } from '../route/bare-model.js';

const BASE = 65;
const TILE = 129;
const MAX_TILES = 4;
export const HIGH_FIDELITY_EXTRA = 6240;

/** Image input tokens of an edit's images (null: a file whose size could not be read). */
export function editImageTokens(
  model: string,
  images: ReadonlyArray<ImageSize | null>,
  fields: unknown,
): number {
  if (images.length === 0 || !/^gpt-image/.test(bareModel(model))) return 0;
  const fidelity =
    typeof fields === 'object' && fields !== null
      ? (fields as { input_fidelity?: unknown }).input_fidelity
      : undefined;
  const extra = fidelity === 'high' ? HIGH_FIDELITY_EXTRA : 0;
  let tokens = 0;
  for (const size of images) tokens += BASE + TILE * tiles(size) + extra;
  return tokens;
}

/** The size of an image a request gives by reference: a data URL's header says it; a remote URL
 *  or an uploaded file's id does not (null, reserved at the most tiles). */
export const referencedImageSize = (url: unknown): ImageSize | null =>
  typeof url === 'string' && url.startsWith('data:') ? imageSize(base64Head(url)) : null;

/** A JSON image edit's input images — `images` and `mask`, each `{ image_url }` or `{ file_id }`
 *  (the API reference's EditImageBodyJsonParam; gpt-image models only) — by size, as a form's are
 *  read (proxy/form-body.ts). Uncounted, sixteen data-URL inputs let four edits through on $0.05,
 *  $0.168 billed (test/integration/image-input-budget.test.ts). */
export function jsonEditImages(body: unknown): Array<ImageSize | null> {
  if (typeof body !== 'object' || body === null) return [];
  const { images, mask } = body as { images?: unknown; mask?: unknown };
  const refs = [...(Array.isArray(images) ? images : []), ...(mask ? [mask] : [])];
  return refs.map((r) =>
    referencedImageSize(
      typeof r === 'object' && r !== null ? (r as { image_url?: unknown }).image_url : undefined,
    ),
  );
}

function tiles(size: ImageSize | null): number {
  if (!size) return MAX_TILES;
  let { width: w, height: h } = size;
  const fit = Math.min(1, 2048 / Math.max(w, h));
  w *= fit;
  h *= fit;
  const short = Math.min(1, 512 / Math.min(w, h));
  w *= short;
  h *= short;
  return Math.min(MAX_TILES, Math.ceil(Math.floor(w) / 512) * Math.ceil(Math.floor(h) / 512));
}
