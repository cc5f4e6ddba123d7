// A one-shot cancel switch for one proxied request: the client going away, a budget cut-off.
// Not an AbortController: constructing one (an EventTarget) per request showed up in the bench
// profile, and nothing here needs the DOM event machinery.
import type { CancelSignal } from './upstream-client.js';

export class Cancellation implements CancelSignal {
  private hooks: Array<() => void> | null = null;
  private done = false;

  get cancelled(): boolean {
    return this.done;
  }

  cancel(): void {
    if (this.done) return;
    this.done = true;
    const hooks = this.hooks;
    this.hooks = null;
    if (hooks) for (const fn of hooks) fn();
  }

  onCancel(fn: () => void): () => void {
    if (this.done) {
      fn();
      return noop;
    }
    (this.hooks ??= []).push(fn);
    return () => {
      const i = this.hooks?.indexOf(fn) ?? -1;
      if (i >= 0) this.hooks!.splice(i, 1);
    };
  }
}

const noop = () => undefined;
