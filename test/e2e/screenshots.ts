// Screenshots of every dashboard page at tray size and full size, light and dark, for people to
// look at; also measures horizontal overflow, which is what breaks first in a 400 px tray window.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';

export const PAGES = ['overview', 'live', 'tools', 'providers', 'prices', 'settings'] as const;
export const SIZES = [
  { name: 'tray', width: 400, height: 600 },
  { name: 'full', width: 1280, height: 800 },
] as const;
export const SCHEMES = ['light', 'dark'] as const;

export interface Shot {
  file: string;
  page: (typeof PAGES)[number];
  size: (typeof SIZES)[number]['name'];
  scheme: (typeof SCHEMES)[number];
  /** document scrollWidth minus the viewport width: > 0 means the page scrolls sideways. */
  overflowPx: number;
}

/** Navigates with the top bar's links, as a user would, and waits for each page's content to load.
 *  Ends in light mode at full size. */
export async function screenshotAllPages(page: Page, dir: string, prefix: string): Promise<Shot[]> {
  await fs.mkdir(dir, { recursive: true });
  const shots: Shot[] = [];
  for (const scheme of SCHEMES) {
    // Reduced motion: recharts then draws bars at once instead of growing them from zero mid-shot.
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    for (const size of SIZES) {
      await page.setViewportSize({ width: size.width, height: size.height });
      for (const name of PAGES) {
        await page.getByTestId(`nav-${name}`).click();
        await page.getByTestId(`page-${name}`).waitFor();
        // "Loading…" placeholders are replaced once each page's first admin call answers.
        await page.waitForFunction(() => !document.querySelector('main')?.textContent?.includes('Loading'));
        const file = path.join(dir, `${prefix}-${name}-${size.name}-${scheme}.png`);
        await page.screenshot({ path: file, fullPage: true });
        const overflowPx = await page.evaluate(
          () => document.documentElement.scrollWidth - window.innerWidth,
        );
        shots.push({ file, page: name, size: size.name, scheme, overflowPx });
      }
    }
  }
  // Leave the page as the rest of a test expects it: light, full size.
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: SIZES[1].width, height: SIZES[1].height });
  return shots;
}
