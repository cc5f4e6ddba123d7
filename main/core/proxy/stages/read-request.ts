// Stage 2, read: the whole body (bounded) and its JSON (whatever its Content-Type, nesting bounded)
// or form fields. Bodies are read whole because the proxy needs them to route, price and reserve,
// and a buffered body can be re-sent on failover.
import type { IncomingMessage } from 'node:http';
import type { Endpoint } from '../../../../shared/usage.js';
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
}

export async function readRequest(
  req: IncomingMessage,
  limit: number,
  endpoint: Endpoint,
): Promise<RequestBody> {
  if (req.method === 'GET' || req.method === 'HEAD') {
    req.resume();
    return { bodyBytes: null, json: undefined };
  }
  let bodyBytes: Buffer;
  try {
    bodyBytes = await readBody(req, limit);
  } catch (err) {
    if (err instanceof BodyTooLargeError) throw new Refused('body_too_large', err.message, 'bad_request');
    throw err;
  }
  return { bodyBytes, ...(await parseRequestBody(bodyBytes, req.headers, endpoint)) };
}
