// Which API family and endpoint a client path belongs to. Anything else under /v1 is an OpenAI
// family pass-through (models, files, moderations, image variations …).
import type { ApiFamily, Endpoint } from '../../../shared/usage.js';

export interface PathClass {
  family: ApiFamily;
  endpoint: Endpoint;
}

export function classifyPath(pathname: string): PathClass {
  const p = pathname.replace(/\/+$/, '');
  if (p === '/v1/messages') return { family: 'anthropic', endpoint: 'messages' };
  if (p === '/v1/messages/count_tokens') return { family: 'anthropic', endpoint: 'count_tokens' };
  if (p === '/v1/chat/completions') return { family: 'openai', endpoint: 'chat' };
  if (p === '/v1/completions') return { family: 'openai', endpoint: 'completions' };
  if (p === '/v1/responses') return { family: 'openai', endpoint: 'responses' };
  if (p === '/v1/embeddings') return { family: 'openai', endpoint: 'embeddings' };
  if (p === '/v1/images/generations' || p === '/v1/images/edits')
    return { family: 'openai', endpoint: 'images' };
  if (p === '/v1/audio/transcriptions' || p === '/v1/audio/translations')
    return { family: 'openai', endpoint: 'audio_transcription' };
  if (p === '/v1/audio/speech') return { family: 'openai', endpoint: 'audio_speech' };
  return { family: 'openai', endpoint: 'other' };
}
