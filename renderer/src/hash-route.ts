// Page routing on the URL hash: the core serves one index.html, and the tray window can deep-link
// to `#/live` without any server-side routes.
import { useSyncExternalStore } from 'react';

export const PAGES = ['overview', 'live', 'tools', 'providers', 'prices', 'settings'] as const;
export type Page = (typeof PAGES)[number];

export function pageFromHash(hash: string): Page {
  const name = hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
  return (PAGES as readonly string[]).includes(name) ? (name as Page) : 'overview';
}

function subscribe(onChange: () => void) {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

export function usePage(): Page {
  return useSyncExternalStore(subscribe, () => pageFromHash(window.location.hash));
}
