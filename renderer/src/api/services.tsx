// What every page needs from the outside world, passed in once at the root (never module-mocked):
// the admin client, the live event hub and the locale used for formatting.
import { createContext, useContext } from 'react';
import type { ShimmyEvent } from '../../../shared/events.js';
import type { ApiClient } from './client.js';

export type EventListener = (event: ShimmyEvent) => void;
export type ConnectionState = 'connecting' | 'open' | 'error';

export interface Services {
  client: ApiClient;
  subscribe(listener: EventListener): () => void;
  connection: ConnectionState;
  /** Goes up each time the event stream reopens after a loss: pushed views should refetch once. */
  resyncs?: number;
  /** undefined = the browser's locale. */
  locale?: string;
  /** Copies text for the "Copy" buttons; navigator.clipboard in the app. */
  copy(text: string): Promise<void>;
  /** Told the id of each probed component as it renders (tests count re-renders with it). */
  probe?: (id: string) => void;
}

export const ServicesContext = createContext<Services | null>(null);

export function useServices(): Services {
  const s = useContext(ServicesContext);
  if (!s) throw new Error('ServicesContext missing: wrap the app in <ServicesContext value={...}>');
  return s;
}

/** Reports a render of the component it is called in to `Services.probe`, if any. */
export function useRenderProbe(id: string): void {
  useServices().probe?.(id);
}
