import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

// Debian's Chromium driven by playwright-core (never a downloaded browser), with everything
// that would phone home switched off: the tests check that the page talks only to its host.

export const CHROMIUM = '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Every URL the page asked for, to check that none leaves the app's own origin. */
export function recordRequests(target: Page | BrowserContext): string[] {
  const urls: string[] = [];
  target.on('request', (r) => urls.push(r.url()));
  return urls;
}

export function foreignRequests(urls: string[], origin: string): string[] {
  return urls.filter((u) => new URL(u).origin !== origin && !u.startsWith('data:'));
}
