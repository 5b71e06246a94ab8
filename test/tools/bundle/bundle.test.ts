/**
 * graphc bundle and graphc serve without a browser: what they refuse, with
 * which diagnostic, and the headers that make a served page cross-origin
 * isolated. The page itself is tested in Chromium (test/browser/bundle.test.ts).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GraphcError } from '../../../src/common/diagnostics/diagnostic.js';
import { runModel } from '../../../src/runtime/browser/index.js';
import { bundleSpec, buildPage } from '../../../src/tools/bundle/bundle.js';
import { serveSite } from '../../../src/tools/bundle/serve.js';

/** The code and message of the diagnostic `work` fails with. */
async function failure(work: () => unknown): Promise<{ code: string; message: string }> {
  try {
    await work();
  } catch (error) {
    if (!(error instanceof GraphcError)) throw error;
    const d = error.diagnostics[0]!;
    return { code: d.code, message: d.message };
  }
  throw new Error('expected a GraphcError');
}

describe('graphc bundle', () => {
  it('refuses a spec that trains on windows of a series (GC841): a page trains on MNIST and tables', async () => {
    const { code, message } = await failure(() => bundleSpec({ spec: 'graphs/forecast.yaml', out: mkdtempSync(join(tmpdir(), 'graphc-bundle-')) }));
    expect(code).toBe('GC841');
    expect(message).toMatch(/graphs\/forecast\.yaml trains on windows of a series: .*MNIST and on tables/);
  });

  it('refuses a backend a page cannot choose (GC845)', async () => {
    const { code } = await failure(() => bundleSpec({ spec: 'graphs/bigru.yaml', out: mkdtempSync(join(tmpdir(), 'graphc-bundle-')), backend: 'cpu' as 'wasm' }));
    expect(code).toBe('GC845');
  });

  it('reports what esbuild could not bundle, located (GC842)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'graphc-bundle-'));
    writeFileSync(join(dir, 'entry.ts'), "import { nothing } from './missing.js';\nconsole.log(nothing);\n");
    const { code, message } = await failure(() => buildPage(join(dir, 'entry.ts'), join(dir, 'out.js')));
    expect(code).toBe('GC842');
    expect(message).toMatch(/entry\.ts:1:\d+: Could not resolve "\.\/missing\.js"/);
  });

  it("a page's runtime has no run(): it trains with the page's trainer (GC840)", async () => {
    expect((await failure(() => runModel())).code).toBe('GC840');
  });
});

describe('graphc serve', () => {
  it('serves the folder with the COOP and COEP headers, and nothing outside it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'graphc-site-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title>');
    mkdirSync(join(dir, 'wasm'));
    writeFileSync(join(dir, 'wasm', 'a.wasm'), new Uint8Array([0, 97, 115, 109]));
    const serving = await serveSite({ dir, port: 0 });
    try {
      expect(serving.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const page = await fetch(serving.url);
      expect(page.status).toBe(200);
      expect(page.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(page.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
      expect(await page.text()).toContain('<title>t</title>');
      const wasm = await fetch(`${serving.url}wasm/a.wasm`);
      expect(wasm.headers.get('content-type')).toBe('application/wasm');
      expect((await fetch(`${serving.url}..%2F..%2Fetc%2Fpasswd`)).status).toBe(404);
      expect((await fetch(`${serving.url}nothing.js`)).status).toBe(404);
    } finally {
      await serving.close();
    }
  });

  it('refuses what is not a site (GC843) and a port in use (GC844)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'graphc-site-'));
    expect((await failure(() => serveSite({ dir: join(dir, 'none') }))).message).toMatch(/does not exist/);
    expect((await failure(() => serveSite({ dir }))).message).toMatch(/has no index\.html/);
    writeFileSync(join(dir, 'index.html'), '<!doctype html>');
    expect((await failure(() => serveSite({ dir: join(dir, 'index.html') }))).code).toBe('GC843');
    const first = await serveSite({ dir, port: 0 });
    try {
      const port = Number(new URL(first.url).port);
      const { code, message } = await failure(() => serveSite({ dir, port }));
      expect(code).toBe('GC844');
      expect(message).toMatch(/the port is in use/);
    } finally {
      await first.close();
    }
  });
});
