// What a request body says, whatever its Content-Type claims: providers parse a JSON body sent as
// text/plain (or with no type) all the same, so the proxy must too, or the request goes out
// unmetered and past the model allowlist. Form bodies (audio transcription, image edits) yield
// their text fields, read by the platform's own multipart parser.
import type { IncomingHttpHeaders } from 'node:http';
import type { Endpoint } from '../../../shared/usage.js';
import { jsonDeeperThan, MAX_JSON_DEPTH } from './json-depth.js';
import type { ObjectSpan } from './json-scan.js';
import { JsonTooDeepError, parseJsonSliced } from './parse-json-sliced.js';
import { Refused } from './refused.js';

export interface ParsedBody {
  /** The JSON body, or undefined when the body is not JSON. */
  json: unknown;
  /** The text fields of a form body (`stream` as a boolean, as in JSON); files are left out. */
  form?: Record<string, unknown>;
  /** Where the top-level members lie, when the parse found out (big bodies). */
  top?: ObjectSpan;
}

/** Bodies above this are parsed in slices (parse-json-sliced.ts): one JSON.parse of 1 MiB takes a
 *  few ms, more would hold every other request up. */
export const SLICED_PARSE_MIN_BYTES = 1024 * 1024;

const tooDeep = () =>
  new Refused(
    'invalid_json',
    `The request body nests arrays or objects more than ${MAX_JSON_DEPTH} levels deep.`,
    'bad_request',
  );

const FORM_TYPE = /^\s*(multipart\/form-data|application\/x-www-form-urlencoded)\b/i;

/** First byte that is not whitespace or a UTF-8 BOM is `{` or `[`. */
function looksLikeJson(bytes: Buffer): boolean {
  for (let i = 0; i < bytes.length && i < 64; i++) {
    const b = bytes[i]!;
    if (b === 0x7b || b === 0x5b) return true;
    if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0xef && b !== 0xbb && b !== 0xbf)
      return false;
  }
  return false;
}

export async function parseRequestBody(
  bytes: Buffer,
  headers: IncomingHttpHeaders,
  endpoint: Endpoint,
): Promise<ParsedBody> {
  const encoding = String(headers['content-encoding'] ?? 'identity')
    .trim()
    .toLowerCase();
  if (encoding !== 'identity' && encoding !== '')
    throw new Refused(
      'invalid_request',
      `Shimmy reads every request body to meter it: send it uncompressed (Content-Encoding "${encoding}" is not accepted).`,
      'bad_request',
    );
  if (bytes.length === 0) return { json: undefined };
  const type = String(headers['content-type'] ?? '');
  if (FORM_TYPE.test(type)) return { json: undefined, form: await formFields(bytes, type) };
  if (type.includes('json') || looksLikeJson(bytes)) {
    try {
      if (bytes.length > SLICED_PARSE_MIN_BYTES) return await parseJsonSliced(bytes);
      if (jsonDeeperThan(bytes)) throw tooDeep();
      return { json: JSON.parse(bytes.toString('utf8')) };
    } catch (err) {
      if (err instanceof Refused) throw err;
      if (err instanceof JsonTooDeepError) throw tooDeep();
      throw new Refused(
        'invalid_json',
        `The request body is not valid JSON: ${(err as Error).message}`,
        'bad_request',
      );
    }
  }
  // A metered endpoint takes JSON only; an unreadable body there could only be an evasion.
  if (endpoint !== 'other')
    throw new Refused('invalid_request', 'The request body must be a JSON object.', 'bad_request');
  return { json: undefined };
}

async function formFields(bytes: Buffer, type: string): Promise<Record<string, unknown>> {
  let form: FormData;
  try {
    form = await new Response(bytes as Uint8Array<ArrayBuffer>, {
      headers: { 'content-type': type },
    }).formData();
  } catch (err) {
    throw new Refused(
      'invalid_request',
      `The form body could not be read: ${(err as Error).message}`,
      'bad_request',
    );
  }
  const fields: Record<string, unknown> = {};
  for (const [name, value] of form) {
    // Two `model` fields, or one sent as a file, read differently by different parsers.
    if (name === 'model' && (typeof value !== 'string' || 'model' in fields))
      throw new Refused(
        'invalid_request',
        'The form must hold exactly one text field "model".',
        'bad_request',
      );
    if (typeof value !== 'string') continue;
    fields[name] = name === 'stream' ? value === 'true' : value;
  }
  return fields;
}
