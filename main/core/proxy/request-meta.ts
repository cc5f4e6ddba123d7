// What the proxy needs to know from a request body, and the few changes it makes before sending.
import type { PathClass } from '../route/classify-path.js';
import { laxTrue } from '../route/lax-true.js';

export interface RequestMeta {
  model: string;
  stream: boolean;
  /** End user the request names: OpenAI `user`/`safety_identifier`, Anthropic `metadata.user_id`. */
  user?: string;
  /** Chat/completions stream that did not ask for usage: Shimmy adds it and strips it back out. */
  addedUsage: boolean;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function readRequestMeta(cls: PathClass, body: unknown): RequestMeta {
  const { endpoint } = cls;
  const b = isObject(body) ? body : {};
  const metadata = isObject(b.metadata) ? b.metadata : {};
  // The first of these that is a non-empty string (no array of candidates built per request).
  const user = nonEmpty(b.user) ?? nonEmpty(b.safety_identifier) ?? nonEmpty(metadata.user_id);
  // Gemini names the model and whether it streams in the path, not the body.
  const stream = cls.pathStreams ?? laxTrue(b.stream);
  const streamOptions = isObject(b.stream_options) ? b.stream_options : {};
  const addedUsage =
    stream && (endpoint === 'chat' || endpoint === 'completions') && streamOptions.include_usage !== true;
  const model = cls.pathModel ?? (typeof b.model === 'string' ? b.model : '');
  // Built as a literal, not with a conditional spread: this runs for every request.
  const meta: RequestMeta = { model, stream, addedUsage };
  if (user) meta.user = user;
  return meta;
}

const nonEmpty = (u: unknown): string | undefined => (typeof u === 'string' && u !== '' ? u : undefined);

/** What to change in the body sent upstream — the routed model name and, where needed,
 *  include_usage — as top-level members and their serialized values (spliceMembers), or null to
 *  send the client's bytes unchanged. */
export function bodyEdits(
  body: Json,
  meta: RequestMeta,
  upstreamModel: string,
  cls: PathClass,
): Record<string, string> | null {
  // Whenever the model that goes upstream is not the one the body names: an alias, a route, a
  // tool's model override (which also fills in a model the request left out).
  const needsModel = cls.pathModel === undefined && upstreamModel !== '' && upstreamModel !== meta.model;
  if (!needsModel && !meta.addedUsage) return null;
  const edits: Record<string, string> = {};
  if (needsModel) edits.model = JSON.stringify(upstreamModel);
  // Only stream_options is re-serialized (it is small), with include_usage set and its other
  // options kept.
  if (meta.addedUsage)
    edits.stream_options = JSON.stringify({
      ...(isObject(body.stream_options) ? body.stream_options : {}),
      include_usage: true,
    });
  return edits;
}

export { isObject };
