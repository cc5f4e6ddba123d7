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
  return {
    add(text, model) {
      if (typeof text !== 'string' || text.length === 0) return;
      // Tokenizing each delta on its own can only over-count slightly versus the whole text:
      // the upper-leaning side is the safe one for budgets.
      if (family === 'openai') tokens += countOpenAiTokens(text, encodingForModel(model ?? ''));
      else chars += text.length;
    },
    tokens() {
      return family === 'openai' ? tokens : anthropicTokensForChars(chars);
    },
  };
}
