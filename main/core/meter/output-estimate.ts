// Running estimate of output tokens from the text a stream has delivered so far, used until
// (or instead of, for a cut stream) the provider's own count.
import type { ApiFamily } from '../../../shared/usage.js';
import { anthropicTokensForChars, countOpenAiTokens, encodingForModel } from './token-count.js';

export interface OutputEstimator {
  add(text: unknown, model: string | undefined): void;
  tokens(): number;
}

export function createOutputEstimator(family: ApiFamily): OutputEstimator {
  let tokens = 0;
  let chars = 0;
  // Deltas wait here until someone asks for the count: most streams end with the provider's own
  // usage, and then nobody does.
  let pending: Array<{ text: string; model: string }> = [];
  return {
    add(text, model) {
      if (typeof text !== 'string' || text.length === 0) return;
      if (family === 'openai') pending.push({ text, model: model ?? '' });
      else chars += text.length;
    },
    tokens() {
      if (family !== 'openai') return anthropicTokensForChars(chars);
      // Tokenizing each delta on its own can only over-count slightly versus the whole text:
      // the upper-leaning side is the safe one for budgets.
      for (const p of pending) tokens += countOpenAiTokens(p.text, encodingForModel(p.model));
      pending = [];
      return tokens;
    },
  };
}
