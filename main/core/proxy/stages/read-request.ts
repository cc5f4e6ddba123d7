// Stage 2, read: the whole body (bounded) and its JSON. Bodies are read whole because the proxy
// needs the JSON to route, price and reserve, and a buffered body can be re-sent on failover.
import type { IncomingMessage } from 'node:http';
import { jsonDeeperThan, MAX_JSON_DEPTH } from '../json-depth.js';
import { BodyTooLargeError, readBody } from '../read-body.js';
import { Refused } from '../refused.js';

export interface RequestBody {
  bodyBytes: Buffer | null;
  json: unknown;
}

export async function readRequest(req: IncomingMessage, limit: number): Promise<RequestBody> {
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
  const type = String(req.headers['content-type'] ?? '');
  if (!type.includes('json') || bodyBytes.length === 0) return { bodyBytes, json: undefined };
  if (jsonDeeperThan(bodyBytes))
    throw new Refused(
      'invalid_json',
      `The request body nests arrays or objects more than ${MAX_JSON_DEPTH} levels deep.`,
      'bad_request',
    );
  try {
    return { bodyBytes, json: JSON.parse(bodyBytes.toString('utf8')) };
  } catch (err) {
    throw new Refused(
      'invalid_json',
      `The request body is not valid JSON: ${(err as Error).message}`,
      'bad_request',
    );
  }
}
