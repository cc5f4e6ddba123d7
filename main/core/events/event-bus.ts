// In-process pub/sub for live events: the admin SSE route and the desktop shell subscribe.
import type { ShimmyEvent } from '../../../shared/events.js';

export type Listener = (event: ShimmyEvent) => void;

export interface EventBus {
  emit(event: ShimmyEvent): void;
  /** Returns the unsubscribe function. */
  subscribe(listener: Listener): () => void;
  /** How many listeners are subscribed now. */
  readonly listeners: number;
}

export function createEventBus(): EventBus {
  const listeners = new Set<Listener>();
  return {
    emit(event) {
      for (const l of listeners) {
        // A broken subscriber must never break the request that emitted the event.
        try {
          l(event);
        } catch (err) {
          console.error('[shimmy] event listener failed:', err);
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    get listeners() {
      return listeners.size;
    },
  };
}
