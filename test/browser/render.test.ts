/**
 * The pictures graphc makes open in a browser: a fresh run's curves.svg and
 * `graphc graph`'s SVG are loaded as images by headless Chromium (Debian's
 * `chromium`, which .ci/run installs), which must decode them at a real size
 * and paint more than a blank page.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable as available, CHROMIUM_FLAGS, profileDir, requireChromium } from '../helpers/chromium.js';
import { graphc } from '../helpers/cli.js';

function chromium(dir: string, ...args: string[]): string {
  const flags = [...CHROMIUM_FLAGS, `--user-data-dir=${profileDir()}`];
  const r = spawnSync(requireChromium(), [...flags, ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`chromium exited with ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** Opens `svg` as an <img> in a page: its decoded size (from the page's DOM) and a screenshot's pixels. */
function openInBrowser(svg: string): { size: string; png: PNG } {
  const dir = mkdtempSync(join(tmpdir(), 'graphc-page-'));
  writeFileSync(join(dir, 'picture.svg'), readFileSync(svg));
  const page = join(dir, 'page.html');
  writeFileSync(
    page,
    `<!doctype html><html><body style="margin:0;background:#fff"><img id="picture" src="picture.svg"><script>
      const img = document.getElementById('picture');
      img.decode().then(() => (document.body.dataset.size = img.naturalWidth + 'x' + img.naturalHeight), () => (document.body.dataset.size = 'undecodable'));
    </script></body></html>`,
  );
  const dom = chromium(dir, '--virtual-time-budget=10000', '--dump-dom', pathToFileURL(page).href);
  const size = /data-size="([^"]*)"/.exec(dom)?.[1] ?? 'not loaded';
  chromium(dir, '--window-size=1400,1800', '--hide-scrollbars', `--screenshot=${join(dir, 'shot.png')}`, pathToFileURL(page).href);
  return { size, png: PNG.sync.read(readFileSync(join(dir, 'shot.png'))) };
}

function inked(png: PNG): { dark: number; coloured: number } {
  let dark = 0;
  let coloured = 0;
  for (let i = 0; i < png.data.length; i += 4) {
    const [r, g, b] = [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!];
    if (r + g + b < 3 * 200) dark++;
    if (Math.abs(r - g) + Math.abs(g - b) + Math.abs(r - b) > 90) coloured++;
  }
  return { dark, coloured };
}

/** The picture decodes larger than `min` and paints at least `min`'s counts of dark and of coloured pixels. */
function expectPainted(svg: string, min: { width: number; height: number; dark: number; coloured: number }): void {
  const { size, png } = openInBrowser(svg);
  const [width, height] = size.split('x').map(Number);
  expect(width, size).toBeGreaterThan(min.width);
  expect(height, size).toBeGreaterThan(min.height);
  const ink = inked(png);
  expect(ink.dark).toBeGreaterThan(min.dark);
  expect(ink.coloured).toBeGreaterThan(min.coloured);
}

function succeeds(...args: string[]): void {
  const r = graphc(...args);
  expect(r.status, r.stderr).toBe(0);
}

describe.runIf(available)('pictures in a browser (headless Chromium)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'graphc-pictures-'));

  beforeAll(() => {
    succeeds('run', 'graphs/bigru.yaml', '--backend', 'wasm', '--steps', '6', '--eval-every', '2', '--eval-batches', '1', '--set', 'hidden_size=4', '--set', 'layer_num=1', '--out', join(dir, 'run'), '--no-progress');
    succeeds('graph', 'graphs/bigru.yaml', '--out', join(dir, 'bigru.svg'));
  });

  it("a run's curves.svg decodes as an image and draws axes, labels and coloured curves", () => {
    expectPainted(join(dir, 'run', 'curves.svg'), { width: 500, height: 200, dark: 2000, coloured: 200 });
  });

  it("graphc graph's SVG decodes as an image and draws the nodes, coloured by role", () => {
    expectPainted(join(dir, 'bigru.svg'), { width: 300, height: 600, dark: 5000, coloured: 1000 });
  });
});
