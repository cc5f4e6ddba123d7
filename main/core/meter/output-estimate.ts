// Running estimate of output tokens from the text a stream has delivered so far, used until
// (or instead of, for a cut stream) the provider's own count.
import type { ApiFamily } from '../../../shared/usage.js';
import { anthropicTokensForChars, countOpenAiTokens, encodingForModel } from './token-count.js';

/** Calls `add` with each output text of one parsed payload. */
export type OutputTextExtractor = (data: unknown, add: (text: unknown) => void) => void;

/** Most streams end with the provider's own usage and the deferred payloads are never parsed;
 *  past this many characters they are parsed anyway, so a long stream holds their text only. */
export const DEFERRED_MAX_CHARS = 256 * 1024;

export class OutputEstimator {
  private counted = 0;
  private chars = 0;
  // Deltas wait here until someone asks for the count: most streams end with the provider's own
  // usage, and then nobody does.
  private pending: Array<{ text: string; model: string }> = [];
  private deferred: string[] = [];
  private deferredModels: Array<string | undefined> = [];
  private deferredChars = 0;

  constructor(
    private readonly family: ApiFamily,
    private readonly extract: OutputTextExtractor,
  ) {}

  add(text: unknown, model: string | undefined): void {
    if (typeof text !== 'string' || text.length === 0) return;
    if (this.family === 'openai') this.pending.push({ text, model: model ?? '' });
    else this.chars += text.length;
  }

  /** Keeps a stream payload (JSON text) whose only use is its output text, unparsed until needed. */
  defer(payload: string, model: string | undefined): void {
    this.deferred.push(payload);
    this.deferredModels.push(model);
    this.deferredChars += payload.length;
    if (this.deferredChars > DEFERRED_MAX_CHARS) this.parseDeferred();
  }

  tokens(): number {
    if (this.deferred.length > 0) this.parseDeferred();
    if (this.family !== 'openai') return anthropicTokensForChars(this.chars);
    // Tokenizing each delta on its own can only over-count slightly versus the whole text:
    // the upper-leaning side is the safe one for budgets.
    for (const p of this.pending) this.counted += countOpenAiTokens(p.text, encodingForModel(p.model));
    this.pending = [];
    return this.counted;
  }

  private parseDeferred(): void {
    const payloads = this.deferred;
    const models = this.deferredModels;
    this.deferred = [];
    this.deferredModels = [];
    this.deferredChars = 0;
    for (let i = 0; i < payloads.length; i++) {
      let data: unknown;
      try {
        data = JSON.parse(payloads[i] as string);
      } catch {
        continue;
      }
      const model = models[i];
      this.extract(data, (t) => this.add(t, model));
    }
  }
}
