// Stage 2, read: the whole body (bounded) and its JSON (whatever its Content-Type, nesting bounded)
// or form fields. Bodies are read whole because the proxy needs them to route, price and reserve,
// and a buffered body can be re-sent on failover. A big one waits for its place among the big
// bodies being read and sent (body-intake.ts) before any of it is read.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Endpoint } from '../../../../shared/usage.js';
import { admitBody } from '../body-intake.js';
import { OWN_PAGES_MIN_BYTES } from '../body-buffer.js';
import type { ObjectSpan } from '../json-scan.js';
import { parseRequestBody } from '../read-json-any-type.js';
import { BodyTooLargeError, readBody } from '../read-body.js';
import { Refused } from '../refused.js';

export interface RequestBody {
  bodyBytes: Buffer | null;
  json: unknown;
  /** Text fields of a form body (multipart audio/image requests). */
  form?: Record<string, unknown>;
  /** Where the top-level members of a big JSON body lie (found while parsing it). */
  top?: ObjectSpan;
  /** Gives a big body's place among those being read back once it has gone upstream (it is
   *  given back when the response closes in any case). */
  releaseIntake?: () => void;
}

export async function readRequest(
  req: IncomingMessage,
  limit: number,
  endpoint: Endpoint,
  res?: ServerResponse,
): Promise<RequestBody> {
  if (req.method === 'GET' || req.method === 'HEAD') {
    req.resume();
    return { bodyBytes: null, json: undefined };
  }
  const declared = Number(req.headers['content-length']);
  let releaseIntake: (() => void) | undefined;
  if (res && declared >= OWN_PAGES_MIN_BYTES && declared <= limit) {
    const intake = admitBody(declared);
    releaseIntake = intake.release;
    // Released on every way out: answered, refused, failed, or the client gone while it waited.
    if (res.closed) intake.release();
    else res.once('close', intake.release);
    await intake.ready;
    if (req.destroyed || res.closed)
      throw new Error('The client closed the connection before sending the whole body');
  }
  let bodyBytes: Buffer;
  try {
    bodyBytes = await readBody(req, limit);
  } catch (err) {
    if (err instanceof BodyTooLargeError) throw new Refused('body_too_large', err.message, 'bad_request');
    throw err;
  }
  const parsed = await parseRequestBody(bodyBytes, req.headers, endpoint);
  // Member by member, not spread: this runs for every request.
  const body: RequestBody = { bodyBytes, json: parsed.json };
  if (parsed.form !== undefined) body.form = parsed.form;
  if (parsed.top !== undefined) body.top = parsed.top;
  if (releaseIntake) body.releaseIntake = releaseIntake;
  return body;
}
