// Gemini's native API for the fake upstream: generateContent (JSON), streamGenerateContent
// (`?alt=sse`, each chunk carrying CUMULATIVE usageMetadata as Google's does) and countTokens,
// with the shapes of ai.google.dev/api/generate-content (checked 2026-11).
import type http from 'node:http';
import type { FakeUsage } from './fake-upstream.js';

const GEMINI_PATH = /^\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent|countTokens)$/;
const words = ['Hello', ' from', ' the', ' fake', ' gemini', '!'];

/** Answers a Gemini path, or returns false when the path is not one. */
export function answerGemini(res: http.ServerResponse, path: string, usage: FakeUsage): boolean {
  const m = GEMINI_PATH.exec(path);
  if (!m) return false;
  const [, model, method] = m;
  if (method === 'countTokens') {
    send(res, { totalTokens: usage.prompt });
    return true;
  }
  const metadata = (candidates: number) => ({
    promptTokenCount: usage.prompt,
    candidatesTokenCount: candidates,
    totalTokenCount: usage.prompt + candidates + (usage.reasoning ?? 0),
    ...(usage.cached ? { cachedContentTokenCount: usage.cached } : {}),
    ...(usage.reasoning ? { thoughtsTokenCount: usage.reasoning } : {}),
  });
  const chunk = (text: string, candidates: number, last: boolean) => ({
    candidates: [
      {
        content: { role: 'model', parts: [{ text }] },
        index: 0,
        ...(last ? { finishReason: 'STOP' } : {}),
      },
    ],
    usageMetadata: metadata(candidates),
    modelVersion: model,
  });
  if (method === 'generateContent') {
    send(res, chunk(words.join(''), usage.completion, true));
    return true;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  words.forEach((w, i) => {
    // Cumulative: the running candidate count, the full count on the last chunk.
    const last = i === words.length - 1;
    const running = last ? usage.completion : Math.min(i + 1, usage.completion);
    res.write(`data: ${JSON.stringify(chunk(w, running, last))}\r\n\r\n`);
  });
  res.end();
  return true;
}

function send(res: http.ServerResponse, value: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
  res.end(JSON.stringify(value));
}
