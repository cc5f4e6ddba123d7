// Which API family and endpoint a client path belongs to, and the path to send upstream in the
// family's canonical form. Clients differ in what their base URL holds: Anthropic clients built
// on the Vercel AI SDK (opencode) post to `{base}/messages` with `/v1` in the base, others to
// `/v1/messages`; Gemini names the model in the path; an Anthropic client listing models asks
// `GET /v1/models` with its own headers. Anything else under /v1 is an OpenAI-family
// pass-through (files, moderations …).
import type { IncomingHttpHeaders } from 'node:http';
import type { ApiFamily, Endpoint } from '../../../shared/usage.js';

export interface PathClass {
  family: ApiFamily;
  endpoint: Endpoint;
  /** The path to send upstream (`/messages` → `/v1/messages`). */
  upstreamPath: string;
  /** Gemini: the model named in the path (`models/{model}:generateContent`). */
  pathModel?: string;
  /** Gemini: `:streamGenerateContent` streams, whatever the body says. */
  pathStreams?: boolean;
  /** Not an API path Shimmy knows: answered 404 in the caller's format, never passed on. */
  unknown?: boolean;
}

const OPENAI_ENDPOINTS: Record<string, Endpoint> = {
  '/chat/completions': 'chat',
  '/completions': 'completions',
  '/responses': 'responses',
  '/embeddings': 'embeddings',
  '/images/generations': 'images',
  '/images/edits': 'images',
  '/audio/transcriptions': 'audio_transcription',
  '/audio/translations': 'audio_transcription',
  '/audio/speech': 'audio_speech',
};

/** `models/{model}:{method}` under Gemini's `/v1beta` (or its stable `/v1`). */
const GEMINI_METHOD = /^\/(v1beta|v1|v1alpha)\/models\/([^/:]+):([A-Za-z]+)$/;
const GEMINI_ENDPOINTS: Record<string, Endpoint> = {
  generateContent: 'generate_content',
  streamGenerateContent: 'generate_content',
  countTokens: 'count_tokens',
};

export function classifyPath(pathname: string, headers: IncomingHttpHeaders): PathClass {
  const p = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  const gemini = GEMINI_METHOD.exec(p);
  if (gemini) {
    const method = gemini[3]!;
    return {
      family: 'gemini',
      endpoint: GEMINI_ENDPOINTS[method] ?? 'other',
      upstreamPath: p,
      pathModel: decodeURIComponent(gemini[2]!),
      pathStreams: method === 'streamGenerateContent',
    };
  }
  if (p === '/v1beta' || p.startsWith('/v1beta/'))
    return { family: 'gemini', endpoint: 'other', upstreamPath: p };

  const versioned = p === '/v1' || p.startsWith('/v1/');
  const rest = versioned ? p.slice(3) : p;
  if (rest === '/messages')
    return { family: 'anthropic', endpoint: 'messages', upstreamPath: '/v1/messages' };
  if (rest === '/messages/count_tokens')
    return { family: 'anthropic', endpoint: 'count_tokens', upstreamPath: '/v1/messages/count_tokens' };
  const openai = OPENAI_ENDPOINTS[rest];
  if (openai) return { family: 'openai', endpoint: openai, upstreamPath: `/v1${rest}` };
  const family = familyOfHeaders(headers);
  if ((rest === '/models' || rest.startsWith('/models/')) && family !== 'gemini')
    return { family, endpoint: 'other', upstreamPath: `/v1${rest}` };
  if (versioned)
    return { family: family === 'anthropic' ? 'anthropic' : 'openai', endpoint: 'other', upstreamPath: p };
  return { family, endpoint: 'other', upstreamPath: p, unknown: true };
}

/** The family a client speaks, from the headers its SDK always sends. */
export function familyOfHeaders(headers: IncomingHttpHeaders): ApiFamily {
  if (headers['anthropic-version'] !== undefined || headers['x-api-key'] !== undefined) return 'anthropic';
  if (headers['x-goog-api-key'] !== undefined) return 'gemini';
  return 'openai';
}

/** The upstream path for the model an attempt sends: Gemini carries it in the path. */
export function upstreamPathFor(cls: PathClass, model: string): string {
  if (cls.pathModel === undefined || model === '' || model === cls.pathModel) return cls.upstreamPath;
  return cls.upstreamPath.replace(/\/models\/[^/:]+:/, `/models/${encodeURIComponent(model)}:`);
}
