/**
 * graphc board's server over real HTTP: only files under its folders (raw
 * '..', encoded dots and slashes, links out — each refused with its
 * diagnostic), a token on every request when it has one, localhost names
 * only on loopback, read-only, the next port when one is taken, the page's
 * scripts from graphc's own dependencies, the views' data, and a failing
 * request answered while the server goes on.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphcError } from '../../../src/common/diagnostics/diagnostic.js';
import { writeMetrics, writeSummary, type Evaluation } from '../../../src/runtime/run_folder.js';
import { pageAssets } from '../../../src/tools/board/assets.js';
import { startBoard, type RunningBoard } from '../../../src/tools/board/server.js';
import { regressionReport } from '../../../src/tools/eval/report.js';
import { saveEvaluation } from '../../../src/tools/eval/run-folder.js';

function evaluation(step: number): Evaluation {
  return { step, train: { cost: 1 / step, acc: 0.5 }, test: { cost: 2 / step, acc: step / 100 }, elapsed: 1 };
}

/** A GET with the path sent exactly as written (fetch and browsers resolve '..' first). */
function rawGet(base: string, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GraphcError) return error.diagnostics.map((d) => `${d.code}: ${d.message}`).join('\n');
    throw error;
  }
  throw new Error('expected a GraphcError');
}

describe('graphc board server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'graphc-board-server-'));
  const runs = join(dir, 'runs');
  let board: RunningBoard;

  beforeAll(async () => {
    const evaluations = [10, 20].map(evaluation);
    writeMetrics(join(runs, 'a'), evaluations);
    writeSummary(join(runs, 'a'), {
      model: 'bigru', spec: 'graphs/bigru.yaml', params: { hidden_size: 8, layer_num: 1 }, backend: 'wasm', device: 'cpu', host: 'h', versions: {}, seed: 3, steps: 20, interrupted: false, wall_seconds: 2, final: evaluations[1]!,
    });
    writeMetrics(join(runs, 'b'), [evaluation(10)]);
    writeFileSync(join(dir, 'secret.txt'), 'secret\n');
    symlinkSync(join(dir, 'secret.txt'), join(runs, 'a', 'out.txt'));
    symlinkSync(join(runs, 'a', 'metrics.jsonl'), join(runs, 'b', 'in.jsonl'));
    cpSync('docs/runs/sweep-readme-demo', join(runs, 'sweep'), { recursive: true });
    mkdirSync(join(runs, 'broken'));
    writeFileSync(join(runs, 'broken', 'sweep.json'), JSON.stringify({ format: 'graphc-sweep', name: 'broken', trials: [{ id: 't1' }], metric: { name: 'test.acc', mode: 'max' }, spec: { path: 'x.yaml', text: '' }, options: { repeat: 1 } }));
    board = await startBoard({ folders: [runs], port: 0, log: () => {} });
  });

  afterAll(() => board.close());

  it('serves a run folder\'s files', async () => {
    const r = await rawGet(board.url, '/files/0/a/metrics.jsonl');
    expect(r.status).toBe(200);
    expect(r.body).toBe(readFileSync(join(runs, 'a', 'metrics.jsonl'), 'utf8'));
    // A link that stays inside the folders is followed.
    expect((await rawGet(board.url, '/files/0/b/in.jsonl')).body).toBe(r.body);
  });

  it.each([
    ['/files/0/../secret.txt', 'GC784', 403, "'.' and '..' are not allowed"],
    ['/files/0/a/../../secret.txt', 'GC784', 403, "'.' and '..' are not allowed"],
    ['/files/0/%2e%2e/secret.txt', 'GC784', 403, "'.' and '..' are not allowed"],
    ['/files/0/a%2F..%2F..%2Fsecret.txt', 'GC784', 403, 'encoded slash'],
    ['/files/0/a%5C..%5C..%5Csecret.txt', 'GC784', 403, 'encoded slash or backslash'],
    ['/files/0/%E0%A4%A', 'GC784', 403, 'not valid percent-encoded'],
    ['/files/0/a/out.txt', 'GC784', 403, 'symbolic link to a place outside'],
    ['/files/0/a', 'GC784', 403, 'not a regular file'],
    ['/files/1/secret.txt', 'GC785', 404, 'is not here'],
    ['/files/0/a/nothing.txt', 'GC785', 404, 'is not here'],
    ['/api/run/0/..', 'GC784', 403, "'.' and '..'"],
    ['/api/compare?run=0/../../etc', 'GC784', 403, "'.' and '..'"],
    ['/etc/passwd', 'GC785', 404, 'is not here'],
  ])('refuses %s with %s', async (path, code, status, words) => {
    const r = await rawGet(board.url, path);
    expect(r.status).toBe(status);
    expect(r.body.startsWith(`${code}: `)).toBe(true);
    expect(r.body).toContain(words);
    expect(r.body).not.toContain('secret\n');
  });

  it('is read-only', async () => {
    const r = await rawGet(board.url, '/api/runs', {}, 'POST');
    expect(r.status).toBe(405);
    expect(r.body).toMatch(/^GC788: the board is read-only/);
  });

  it('answers only to localhost names on a loopback address (DNS rebinding)', async () => {
    const r = await rawGet(board.url, '/api/runs', { host: 'attacker.example:6006' });
    expect(r.status).toBe(403);
    expect(r.body).toMatch(/^GC787: refused a request for host 'attacker.example:6006'/);
    expect((await rawGet(board.url, '/api/runs', { host: `localhost:${board.port}` })).status).toBe(200);
  });

  it('serves the page, its own scripts and vega, vega-lite and vega-embed from node_modules, and nothing from the internet', async () => {
    const page = await rawGet(board.url, '/');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    for (const name of ['vega', 'vega-lite', 'vega-embed']) {
      const r = await rawGet(board.url, `/vendor/${name}.js`);
      expect(r.status).toBe(200);
      expect(r.body.length).toBeGreaterThan(50_000);
      expect(page.body).toContain(`src="/vendor/${name}.js"`);
    }
    for (const [name, file] of pageAssets()) {
      expect(readFileSync(file, 'utf8'), name).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
      expect((await rawGet(board.url, `/assets/${name}`)).status).toBe(200);
    }
    expect((await rawGet(board.url, '/vendor/../package.json')).status).toBe(403);
  });

  it("gives a run's data: entry, evaluations, graphc plot's chart and the command that reproduces it", async () => {
    const data = (await (await fetch(`${board.url}api/run/0/a`)).json()) as Record<string, unknown>;
    expect(data['evaluations']).toEqual([evaluation(10), evaluation(20)]);
    expect(data['command']).toBe('graphc run graphs/bigru.yaml --set hidden_size=8 --set layer_num=1 --seed 3 --steps 20 --backend wasm');
    expect((data['chart'] as { data: { name: string; values: unknown[] } }).data).toMatchObject({ name: 'points' });
    expect((data['chart'] as { data: { values: unknown[] } }).data.values).toHaveLength(8);
    const graph = await rawGet(board.url, '/graph/0/a');
    expect(graph.status).toBe(200);
    expect(graph.headers['content-type']).toBe('image/svg+xml');
    expect(graph.body).toContain('<svg');
    expect(graph.body).toContain('stack_bidirectional_rnn');
  });

  it("gives a run's evaluation report once graphc eval has written one, and null before", async () => {
    expect(await (await fetch(`${board.url}api/eval/0/b`)).json()).toEqual({ evaluation: null });
    const report = regressionReport([1, 2, 3, 4], [1.5, 1.5, 3, 5], 4, ['mpg']);
    const record = { dir: join(runs, 'b'), model: 'cars', step: 10, examples: 4, test: { mae: 0.5 }, node: 'predicted_mpg', report };
    await saveEvaluation(join(runs, 'b'), record);
    expect(await (await fetch(`${board.url}api/eval/0/b`)).json()).toEqual({ evaluation: record, chart: null });
    expect((await fetch(`${board.url}api/eval/0/nothing-here`)).status).toBe(404);
  });

  it('opens no spec outside the working directory and its folders, whatever summary.json names', async () => {
    const spec = join(dir, 'elsewhere.yaml');
    cpSync('graphs/bigru.yaml', spec);
    const evaluations = [evaluation(10)];
    writeMetrics(join(runs, 'c'), evaluations);
    writeSummary(join(runs, 'c'), {
      model: 'bigru', spec, params: { hidden_size: 8 }, backend: 'wasm', device: 'cpu', host: 'h', versions: {}, seed: 1, steps: 10, interrupted: false, wall_seconds: 1, final: evaluations[0]!,
    });
    const data = (await (await fetch(`${board.url}api/run/0/c`)).json()) as { graph: boolean; command: string };
    expect(data.graph).toBe(false);
    expect(data.command).toBe(`graphc run ${spec} --set hidden_size=8 --seed 1 --steps 10 --backend wasm`);
    expect((await rawGet(board.url, '/graph/0/c')).status).toBe(404);
  });

  it("gives a sweep's table, parallel coordinates and curves", async () => {
    const data = (await (await fetch(`${board.url}api/sweep/0/sweep`)).json()) as { rows: { trial: string; status: string; final?: number }[]; params: string[]; parallel: unknown; curves: unknown };
    expect(data.params).toEqual(['cell_type', 'hidden_size']);
    expect(data.rows).toHaveLength(4);
    expect(data.rows[0]!.final).toBeCloseTo(0.897, 3);
    expect(data.parallel).not.toBeNull();
    expect(data.curves).not.toBeNull();
  });

  it("leaves out a sweep's trials whose ids or folders lead outside it", async () => {
    const outside = join(dir, 'outside-run');
    writeMetrics(outside, [{ step: 10, train: { acc: 0.123456 }, test: { acc: 0.123456 }, elapsed: 1 }]);
    const evil = join(runs, 'evil');
    cpSync('docs/runs/sweep-readme-demo', evil, { recursive: true });
    const definition = JSON.parse(readFileSync(join(evil, 'sweep.json'), 'utf8')) as { trials: unknown[] };
    definition.trials.push({ id: '../../../outside-run', index: 4, params: { cell_type: 'gru', hidden_size: 8 }, seed: 1 });
    definition.trials.push({ id: 'tlinked', index: 5, params: { cell_type: 'gru', hidden_size: 16 }, seed: 1 });
    writeFileSync(join(evil, 'sweep.json'), JSON.stringify(definition));
    symlinkSync(outside, join(evil, 'trials', 'tlinked'));
    const sweep = await rawGet(board.url, '/api/sweep/0/evil');
    expect(sweep.status).toBe(200);
    expect((JSON.parse(sweep.body) as { rows: unknown[] }).rows).toHaveLength(4);
    expect(sweep.body).not.toContain('0.123456');
    expect((await rawGet(board.url, '/api/runs')).body).not.toContain('0.123456');
  });

  it('answers a request that fails with GC789 and goes on serving', async () => {
    const r = await rawGet(board.url, '/api/sweep/0/broken');
    expect(r.status).toBe(500);
    expect(r.body).toMatch(/^GC789: \/api\/sweep\/0\/broken failed: /);
    expect((await rawGet(board.url, '/api/runs')).status).toBe(200);
  });
});

describe('graphc board with a token', () => {
  let board: RunningBoard;
  const token = 'a-token-of-twenty-four-c';

  beforeAll(async () => {
    board = await startBoard({ folders: [mkdtempSync(join(tmpdir(), 'graphc-board-token-'))], port: 0, token });
  });

  afterAll(() => board.close());

  it('needs it on every request: in the address once, then the cookie, or a Bearer header', async () => {
    expect(board.url).toBe(`http://127.0.0.1:${board.port}/?token=${token}`);
    for (const path of ['/', '/api/runs', '/vendor/vega.js', '/events/runs']) {
      const r = await rawGet(board.url, path);
      expect(r.status, path).toBe(401);
      expect(r.body).toMatch(/^GC786: this board needs its token/);
    }
    expect((await rawGet(board.url, '/api/runs?token=wrong-token-wrong-token-')).status).toBe(401);
    const first = await rawGet(board.url, `/?token=${token}`);
    expect(first.status).toBe(200);
    const cookie = String(first.headers['set-cookie']).split(';')[0]!;
    expect(cookie).toBe(`graphc_board_token=${token}`);
    expect((await rawGet(board.url, '/api/runs', { cookie })).status).toBe(200);
    expect((await rawGet(board.url, '/api/runs', { authorization: `Bearer ${token}` })).status).toBe(200);
  });

  it('refuses a short token (GC782)', async () => {
    expect(await failure(startBoard({ folders: [], port: 0, token: 'short' }))).toMatch(/^GC782: --token is 5 characters long; give at least 16/);
  });
});

describe('graphc board ports', () => {
  it('takes the next port when one is in use, and says so when none is free (GC781)', async () => {
    const first = await startBoard({ folders: [], port: 0 });
    try {
      const second = await startBoard({ folders: [], port: first.port, portAttempts: 5 });
      expect(second.port).toBeGreaterThan(first.port);
      expect(second.port).toBeLessThanOrEqual(first.port + 4);
      await second.close();
      expect(await failure(startBoard({ folders: [], port: first.port, portAttempts: 1 }))).toBe(
        `GC781: cannot listen on 127.0.0.1:${first.port} (every one is in use); choose another --port or --host`,
      );
    } finally {
      await first.close();
    }
  });
});
