// What the proxy needs to know from a request body, and the few changes it makes before sending.
import type { PathClass } from '../route/classify-path.js';

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
  const user = [b.user, b.safety_identifier, metadata.user_id].find(
    (u): u is string => typeof u === 'string' && u !== '',
  );
  // Gemini names the model and whether it streams in the path, not the body.
  const stream = cls.pathStreams ?? b.stream === true;
  const streamOptions = isObject(b.stream_options) ? b.stream_options : {};
  const addedUsage =
    stream && (endpoint === 'chat' || endpoint === 'completions') && streamOptions.include_usage !== true;
  const model = cls.pathModel ?? (typeof b.model === 'string' ? b.model : '');
  return { model, stream, ...(user ? { user } : {}), addedUsage };
}

/** What to change in the body sent upstream — the routed model name and, where needed,
 *  include_usage — as top-level members and their serialized values (spliceMembers), or null to
 *  send the client's bytes unchanged. */
export function bodyEdits(
  body: Json,
  meta: RequestMeta,
  upstreamModel: string,
  cls: PathClass,
): Record<string, string> | null {
  const needsModel = cls.pathModel === undefined && meta.model !== '' && upstreamModel !== meta.model;
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
