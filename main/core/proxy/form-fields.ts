// The text fields of a multipart/form-data request (audio transcriptions and image edits send
// their `model` this way, beside the file): what the proxy needs to route, price and meter them.
// Parsed by the runtime's own FormData reader (undici), only for the endpoints that need it.
import type { Endpoint } from '../../../shared/usage.js';

const FORM_ENDPOINTS: ReadonlySet<Endpoint> = new Set(['audio_transcription', 'images']);

/** A multipart body of an endpoint whose model is a form field. Checked first, synchronously:
 *  every other request goes on without waiting a turn. */
export function hasFormFields(endpoint: Endpoint, contentType: string | undefined): boolean {
  return FORM_ENDPOINTS.has(endpoint) && contentType?.startsWith('multipart/form-data') === true;
}

/** `{ model, stream }` from a multipart body, or undefined when it is malformed (the provider
 *  then answers the client's mistake itself). */
export async function readFormFields(
  contentType: string,
  body: Buffer | null,
): Promise<Record<string, unknown> | undefined> {
  if (!body) return undefined;
  let form: FormData;
  try {
    // A view of the same bytes, no copy (typed as the DOM lib's BodyInit wants it).
    form = await new Response(new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.byteLength), {
      headers: { 'content-type': contentType },
    }).formData();
  } catch {
    return undefined;
  }
  const model = form.get('model');
  return {
    ...(typeof model === 'string' ? { model } : {}),
    ...(form.get('stream') === 'true' ? { stream: true } : {}),
  };
}
