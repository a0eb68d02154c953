import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';

/**
 * Flags for a headless Chromium in a container: no sandbox (CI runs as root), no GPU, and none of the background
 * traffic (updates, sync, QUIC probes) a test machine without a network would wait on.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

// Loaded when a browser is wanted, not by every test that imports this harness.
const playwright = () => import('playwright-core');

/** Where Chromium is: CHROMIUM_PATH, Debian's package (installed by .ci/run), or Playwright's own download. */
export async function chromiumExecutable(): Promise<string> {
  const { chromium } = await playwright();
  const candidates = [process.env['CHROMIUM_PATH'], '/usr/bin/chromium', '/usr/bin/chromium-browser', chromium.executablePath()].filter((p): p is string => Boolean(p));
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new Error(`No Chromium found (looked at ${candidates.join(', ')}): install Debian's with \`apt-get install -y chromium\` (.ci/run does), or set CHROMIUM_PATH.`);
  }
  return found;
}

/** A real headless Chromium, driven by playwright-core. Playwright gives each browser context a fresh profile. */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await playwright();
  return chromium.launch({ executablePath: await chromiumExecutable(), headless: true, args: CHROMIUM_ARGS });
}
