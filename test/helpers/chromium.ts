/**
 * Debian's chromium, which .ci/run installs, for the tests that open graphc's
 * pictures and page in a real browser: found on the PATH (or $CHROMIUM), run
 * headless with no network of its own; puppeteer-core drives it (it downloads
 * no browser).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'puppeteer-core';

/** The browser's absolute path (puppeteer-core wants one), or undefined when none is installed. */
export const CHROMIUM = [process.env['CHROMIUM'], 'chromium', 'chromium-browser', 'google-chrome']
  .filter((name): name is string => name !== undefined)
  .map((name) => spawnSync('sh', ['-c', 'command -v "$0"', name], { encoding: 'utf8' }))
  .find((r) => r.status === 0 && r.stdout.trim() !== '')
  ?.stdout.trim();

// CI installs chromium, so there its absence is a failure; elsewhere these tests wait for it.
export const chromiumAvailable = CHROMIUM !== undefined || process.env['CI'] === 'true';

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function requireChromium(): string {
  if (!CHROMIUM) throw new Error("Debian's chromium is not installed (apt-get install chromium; .ci/run does this)");
  return CHROMIUM;
}

/** A fresh profile directory for one browser. */
export function profileDir(): string {
  return mkdtempSync(join(tmpdir(), 'graphc-chromium-'));
}

/** Chromium under puppeteer-core's control. */
export async function launchChromium(): Promise<Browser> {
  const puppeteer = await import('puppeteer-core');
  return puppeteer.launch({
    executablePath: requireChromium(),
    headless: true,
    args: [...CHROMIUM_FLAGS.filter((f) => f !== '--headless'), `--user-data-dir=${profileDir()}`],
    defaultViewport: { width: 1400, height: 1000 },
  });
}
