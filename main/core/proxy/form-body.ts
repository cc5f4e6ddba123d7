import { wavSeconds } from '../limits/audio-seconds.js';
import { imageSize, type ImageSize } from '../meter/image-size.js';

// A form body (multipart audio/image request) with its `model` field replaced by the routed
// upstream model, re-encoded by the platform's FormData serializer (new boundary, same parts).
export async function formWithModel(
  bytes: Buffer,
  contentType: string,
  model: string,
): Promise<{ body: Buffer; contentType: string }> {
  const form = await new Response(bytes as Uint8Array<ArrayBuffer>, {
    headers: { 'content-type': contentType },
  }).formData();
  form.set('model', model);
  const encoded = new Response(form);
  return {
    body: Buffer.from(await encoded.arrayBuffer()),
    contentType: encoded.headers.get('content-type') ?? contentType,
  };
}

/** The form bodies to send, one per upstream model that differs from the client's. */
export async function formBodiesFor(
  bytes: Buffer,
  contentType: string,
  clientModel: unknown,
  upstreamModels: string[],
): Promise<Map<string, { body: Buffer; contentType: string }>> {
  const out = new Map<string, { body: Buffer; contentType: string }>();
  for (const m of upstreamModels)
    if (m && m !== clientModel && !out.has(m)) out.set(m, await formWithModel(bytes, contentType, m));
  return out;
}

/** Seconds of audio in a transcription's uploaded `file`, where the file fixes them (a PCM WAV,
 *  limits/audio-seconds.ts); undefined for any other file, or a form with no single file. */
export async function uploadedAudioSeconds(bytes: Buffer, contentType: string): Promise<number | undefined> {
  let files: ReturnType<FormData['getAll']>;
  try {
    files = (
      await new Response(bytes as Uint8Array<ArrayBuffer>, {
        headers: { 'content-type': contentType },
      }).formData()
    ).getAll('file');
  } catch {
    return undefined;
  }
  const [file] = files;
  if (files.length !== 1 || typeof file === 'string' || !file) return undefined;
  return wavSeconds(new Uint8Array(await file.arrayBuffer()));
}

/** An image edit's input images (`image`, `image[]`, `mask`), each by the size its header says
 *  (null: unreadable), for the tokens they are billed as (limits/image-input-tokens.ts). */
export async function uploadedImageSizes(
  bytes: Buffer,
  contentType: string,
): Promise<Array<ImageSize | null>> {
  let form: FormData;
  try {
    form = await new Response(bytes as Uint8Array<ArrayBuffer>, {
      headers: { 'content-type': contentType },
    }).formData();
  } catch {
    return [];
  }
  const sizes: Array<ImageSize | null> = [];
  for (const [name, value] of form) {
    if (typeof value === 'string' || !/^(image(\[\d*\])?|mask)$/.test(name)) continue;
    sizes.push(imageSize(Buffer.from(await value.slice(0, 256 * 1024).arrayBuffer())));
  }
  return sizes;
}
