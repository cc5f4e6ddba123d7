// The Live page's list, kept outside React state. The events that feed it come two per request (at
// 500 req/s, a thousand a second); held in the app shell's state they re-rendered the whole shell
// and whatever page was open on every batch. In a store, only the Live page subscribes (through
// useSyncExternalStore), and only while it is shown.
import { initialLiveState, liveReducer, type LiveAction, type LiveState } from './live-requests.js';

export interface LiveStore {
  dispatch(action: LiveAction): void;
  get(): LiveState;
  subscribe(onChange: () => void): () => void;
}

export function createLiveStore(cap?: number): LiveStore {
  let state = initialLiveState(cap);
  const listeners = new Set<() => void>();
  return {
    dispatch(action) {
      const next = liveReducer(state, action);
      if (next === state) return;
      state = next;
      for (const l of listeners) l();
    },
    get: () => state,
    subscribe(onChange) {
      listeners.add(onChange);
      return () => {
        listeners.delete(onChange);
      };
    },
  };
}
