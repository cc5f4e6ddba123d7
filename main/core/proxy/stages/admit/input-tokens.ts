// The request's input tokens, counted only when something needs them: tokenizing costs real time
// per request and its thread ~40 MB of RSS, so the exact count is made only when a limit needs it
// (bound first, check-and-reserve.ts), or a stream is cut before the provider's own count arrives.
import type { ApiFamily, Endpoint } from '../../../../../shared/usage.js';
import { estimateInputTokens } from '../../../meter/index.js';
import { estimateInputTokensBound, estimateInputTokensSliced } from '../../../meter/estimate.js';

export class InputTokens {
  private exact: number | undefined;
  private upper: number | undefined;

  constructor(
    private readonly family: ApiFamily,
    private readonly endpoint: Endpoint,
    /** Dropped once counted: an open stream's answer lasts minutes, and the parsed request (an
     *  agent's whole conversation) is its largest part (issue 16, memory per open stream). */
    private json: unknown,
    private readonly model: string,
    /** The endpoint's answers are metered: anything else counts 0. */
    private readonly metered: boolean,
  ) {}

  /** An upper bound that asks no tokenizer (meter/estimate.ts), kept once made. */
  bound(): number {
    // Once counted, the count bounds it: the body is gone by then.
    return (this.upper ??=
      this.exact ??
      (this.metered ? estimateInputTokensBound(this.family, this.endpoint, this.json, this.model) : 0));
  }

  /** The count; `atMost`: an upper bound will do (the bound while nothing was counted). */
  estimate(atMost = false): number {
    if (this.exact !== undefined) return this.exact;
    if (atMost) return this.bound();
    return this.counted(
      this.metered ? estimateInputTokens(this.family, this.endpoint, this.json, this.model) : 0,
    );
  }

  /** The provider's own count, read from its answer (Anthropic's message_start): the count from
   *  then on, and the parsed request goes — a stream cut later is charged this, and nothing else
   *  needs the body while the answer runs for minutes (issue 16, memory per open stream). */
  known(n: number): void {
    this.counted(n);
  }

  /** Counted before the reservation's one tick, a slice at a time for a body with a lot of text
   *  (the tokenizer thread's async lane): a promise only when it had to wait. */
  countSliced(): void | Promise<void> {
    if (this.exact !== undefined) return;
    const counting = this.metered
      ? estimateInputTokensSliced(this.family, this.endpoint, this.json, this.model)
      : 0;
    if (!(counting instanceof Promise)) {
      this.counted(counting);
      return;
    }
    return counting.then((n) => {
      this.counted(n);
    });
  }

  private counted(n: number): number {
    this.exact = n;
    this.json = undefined;
    return n;
  }
}
