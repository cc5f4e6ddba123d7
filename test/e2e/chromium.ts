// Debian's Chromium driven by playwright-core, and a watch on a page for what a dashboard must never
// do: log console errors, throw, or fetch anything that is not the local Shimmy instance.
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    // No sandbox: CI containers run as root. The rest keeps Chromium from phoning home on its own,
    // so every request the watch sees comes from the page.
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
}

export interface PageWatch {
  /** Console errors and uncaught page exceptions, as text. */
  errors: string[];
  /** URLs the page requested outside `allowedOrigin` (data: and blob: URLs are local). */
  foreignRequests: string[];
}

export function watchPage(page: Page, allowedOrigin: string): PageWatch {
  const watch: PageWatch = { errors: [], foreignRequests: [] };
  page.on('console', (msg) => {
    if (msg.type() === 'error') watch.errors.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => watch.errors.push(`pageerror: ${err.message}`));
  page.on('request', (req) => {
    const url = req.url();
    if (url.startsWith('data:') || url.startsWith('blob:')) return;
    if (new URL(url).origin !== allowedOrigin) watch.foreignRequests.push(url);
  });
  return watch;
}
