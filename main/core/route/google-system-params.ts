// Google's "system parameters" (docs.cloud.google.com/apis/docs/system-parameters, read 2026-11-29):
// every Google API reads them from the query string (`name` or `$name`) or a header, whatever the
// method. A response field mask (`fields`, `X-Goog-FieldMask`) can leave `usageMetadata` out of the
// answer, and `alt` (proto, media), `callback` (JSONP) and `$ct` (the body's type) change a format
// Shimmy must read: either way a thinking model's thoughts, never in the visible text, went
// unbilled (test/integration/google-field-mask.test.ts). Refused for every family: an
// OpenAI-compatible provider may be Google's too, and no other API gives these names a meaning.

/** The formats whose usage Shimmy reads (google-api-core sends `$alt=json;enum-encoding=int`). */
const READABLE_ALT = new Set(['json', 'sse']);

/** Why the answer to a request with this query string and these headers could hide its usage, or
 *  undefined when it cannot. */
export function hiddenUsageParam(
  search: string,
  headers: Record<string, string | string[] | undefined>,
): string | undefined {
  if (headers['x-goog-fieldmask'] !== undefined)
    return 'The X-Goog-FieldMask header can leave the usage Shimmy bills by out of the answer: send the request without it.';
  if (search.length < 2) return undefined;
  // Decoded as the provider decodes it (`%24fields` is `$fields`).
  for (const [raw, value] of new URLSearchParams(search)) {
    const name = raw.toLowerCase();
    const bare = name.startsWith('$') ? name.slice(1) : name;
    if (bare === 'fields' || bare === 'callback' || name === '$ct')
      return `The query parameter "${raw}" changes the answer Shimmy reads its usage from: send the request without it.`;
    if (bare === 'alt' && !READABLE_ALT.has(value.split(';')[0]!.trim().toLowerCase()))
      return `alt=${value} asks for an answer Shimmy cannot read its usage from: use alt=sse or alt=json.`;
  }
  return undefined;
}
