/**
 * The event stream: MetricsTail reads a growing metrics.jsonl piece by piece
 * (partial lines, rewrites, malformed and huge lines), and the board's
 * /events/run/<id> delivers it over real HTTP as server-sent events — until
 * the run's folder is deleted, after which the server goes on serving.
 */
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MetricsTail, writeMetrics, type Evaluation } from '../../../src/runtime/run_folder.js';
import { startBoard, type RunningBoard } from '../../../src/tools/board/server.js';
import { followMetrics, type MetricsEvent } from '../../../src/tools/board/stream.js';

function evaluation(step: number): Evaluation {
  return { step, train: { cost: 1 / step }, test: { cost: 2 / step, acc: step / 100 }, elapsed: 0.5 };
}

const line = (step: number): string => `${JSON.stringify(evaluation(step))}\n`;

function runFolder(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'graphc-tail-')), 'run');
  mkdirSync(dir);
  return dir;
}

describe('MetricsTail', () => {
  it('reports nothing while metrics.jsonl is missing, then every evaluation, then only new ones', () => {
    const dir = runFolder();
    const tail = new MetricsTail(dir);
    expect(tail.read()).toEqual({ missing: true, restarted: false, evaluations: [], skipped: [] });
    writeMetrics(dir, [evaluation(10), evaluation(20)]);
    expect(tail.read().evaluations.map((e) => e.step)).toEqual([10, 20]);
    expect(tail.read().evaluations).toEqual([]);
    // The trainer rewrites the whole file (atomically) with one more line.
    writeMetrics(dir, [evaluation(10), evaluation(20), evaluation(30)]);
    const third = tail.read();
    expect(third.restarted).toBe(false);
    expect(third.evaluations.map((e) => e.step)).toEqual([30]);
  });

  it('holds a line without its newline until the rest arrives', () => {
    const dir = runFolder();
    const tail = new MetricsTail(dir);
    const text = line(10);
    writeFileSync(join(dir, 'metrics.jsonl'), text.slice(0, 25));
    expect(tail.read().evaluations).toEqual([]);
    appendFileSync(join(dir, 'metrics.jsonl'), text.slice(25));
    expect(tail.read().evaluations).toEqual([evaluation(10)]);
  });

  it('skips lines that are not JSON or not evaluations, naming their line numbers, and reads the lines after them', () => {
    const dir = runFolder();
    writeFileSync(join(dir, 'metrics.jsonl'), `${line(10)}{"step": 20, "train"\n[1, 2]\n\n${line(40)}`);
    const chunk = new MetricsTail(dir).read();
    expect(chunk.evaluations.map((e) => e.step)).toEqual([10, 40]);
    expect(chunk.skipped).toEqual([
      { line: 2, problem: 'not_json' },
      { line: 3, problem: 'not_evaluation' },
    ]);
  });

  it('skips a line longer than its limit without keeping it, across reads', () => {
    const dir = runFolder();
    const tail = new MetricsTail(dir, 1000);
    const huge = `{"step": 20, "junk": "${'x'.repeat(5000)}"}`;
    writeFileSync(join(dir, 'metrics.jsonl'), `${line(10)}${huge.slice(0, 3000)}`);
    expect(tail.read().evaluations.map((e) => e.step)).toEqual([10]);
    appendFileSync(join(dir, 'metrics.jsonl'), `${huge.slice(3000)}\n${line(30)}`);
    const chunk = tail.read();
    expect(chunk.evaluations.map((e) => e.step)).toEqual([30]);
    expect(chunk.skipped).toEqual([{ line: 2, problem: 'too_long', bytes: huge.length }]);
  });

  it('starts over when the file is rewritten shorter', () => {
    const dir = runFolder();
    const tail = new MetricsTail(dir);
    writeMetrics(dir, [evaluation(10), evaluation(20), evaluation(30)]);
    tail.read();
    writeMetrics(dir, [evaluation(10)]);
    const chunk = tail.read();
    expect(chunk.restarted).toBe(true);
    expect(chunk.evaluations).toEqual([evaluation(10)]);
  });
});

describe('followMetrics', () => {
  it("reports 'reset' first, then 'append', notes in the catalogue's words (GC751, GC783), and 'gone' once the folder is deleted", () => {
    const dir = runFolder();
    writeMetrics(dir, [evaluation(10)]);
    const events: MetricsEvent[] = [];
    const follow = followMetrics(dir, 'runs/a', (e) => events.push(e), 200);
    follow();
    appendFileSync(join(dir, 'metrics.jsonl'), `not json\n${'y'.repeat(300)}\n${line(20)}`);
    follow();
    rmSync(dir, { recursive: true });
    follow();
    follow();
    expect(events).toEqual([
      { kind: 'reset', evaluations: [evaluation(10)] },
      { kind: 'append', evaluations: [evaluation(20)] },
      { kind: 'note', message: expect.stringMatching(/^GC751: runs\/a\/metrics\.jsonl:2: /) },
      { kind: 'note', message: expect.stringMatching(/^GC783: runs\/a\/metrics\.jsonl:3: skipped a line of 300 bytes/) },
      { kind: 'gone', message: expect.stringMatching(/^GC785: runs\/a is not here/) },
    ]);
  });
});

/** Server-sent events of one HTTP response, parsed as they arrive. */
function openEvents(url: string): { events: { event: string; data: unknown }[]; next: (event: string) => Promise<unknown>; ended: Promise<void>; close: () => void } {
  const events: { event: string; data: unknown }[] = [];
  const waiters: { event: string; seen: number; resolve: (data: unknown) => void }[] = [];
  let buffer = '';
  let endResolve: () => void = () => {};
  const ended = new Promise<void>((resolve) => (endResolve = resolve));
  const req = request(url, (res) => {
    expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) !== -1) {
        const record = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(record)?.[1];
        const data = /^data: (.*)$/m.exec(record)?.[1];
        if (event === undefined || data === undefined) continue;
        events.push({ event, data: JSON.parse(data) });
        for (const w of waiters.splice(0)) {
          const matching = events.filter((e) => e.event === w.event);
          if (matching.length > w.seen) w.resolve(matching[w.seen]!.data);
          else waiters.push(w);
        }
      }
    });
    res.on('end', () => endResolve());
  });
  req.on('error', () => endResolve());
  req.end();
  const seenCounts = new Map<string, number>();
  return {
    events,
    ended,
    close: () => req.destroy(),
    next(event) {
      const seen = seenCounts.get(event) ?? 0;
      seenCounts.set(event, seen + 1);
      const matching = events.filter((e) => e.event === event);
      if (matching.length > seen) return Promise.resolve(matching[seen]!.data);
      return new Promise((resolve, reject) => {
        waiters.push({ event, seen, resolve });
        setTimeout(() => reject(new Error(`no '${event}' event within 5 s; got ${JSON.stringify(events.map((e) => e.event))}`)), 5000).unref();
      });
    },
  };
}

describe('the run event stream over HTTP', () => {
  const root = mkdtempSync(join(tmpdir(), 'graphc-board-events-'));
  let board: RunningBoard;

  beforeAll(async () => {
    mkdirSync(join(root, 'a'));
    writeMetrics(join(root, 'a'), [evaluation(10), evaluation(20)]);
    board = await startBoard({ folders: [root], port: 0 });
  });

  afterAll(() => board.close());

  it('sends the evaluations so far, each appended line, partial lines once whole, notes for bad lines, and the run status', async () => {
    const stream = openEvents(`${board.url}events/run/0/a`);
    expect(await stream.next('reset')).toEqual({ id: '0/a', label: 'a', evaluations: [evaluation(10), evaluation(20)] });
    expect(await stream.next('status')).toMatchObject({ id: '0/a', status: 'running', step: 20 });
    const file = join(root, 'a', 'metrics.jsonl');
    appendFileSync(file, line(30));
    expect(await stream.next('append')).toEqual({ id: '0/a', label: 'a', evaluations: [evaluation(30)] });
    appendFileSync(file, line(40).slice(0, 10));
    appendFileSync(file, `${line(40).slice(10)}{oops\n`);
    expect(await stream.next('append')).toEqual({ id: '0/a', label: 'a', evaluations: [evaluation(40)] });
    expect(await stream.next('note')).toEqual({ message: expect.stringMatching(/^GC751: .*metrics\.jsonl:5: /) });
    stream.close();
  });

  it("tells the page when the run's folder is deleted, ends the stream, and goes on serving", async () => {
    mkdirSync(join(root, 'b'));
    writeMetrics(join(root, 'b'), [evaluation(10)]);
    const stream = openEvents(`${board.url}events/run/0/b`);
    await stream.next('reset');
    rmSync(join(root, 'b'), { recursive: true });
    expect(await stream.next('gone')).toEqual({ message: expect.stringMatching(/^GC785: /) });
    await stream.ended;
    const listing = (await (await fetch(`${board.url}api/runs`)).json()) as { runs: { id: string }[] };
    expect(listing.runs.map((r) => r.id)).toEqual(['0/a']);
  });

  it('answers a stream for a run that is not there with 404 and its diagnostic', async () => {
    const response = await fetch(`${board.url}events/run/0/nothing`);
    expect(response.status).toBe(404);
    expect(await response.text()).toMatch(/^GC785: \/events\/run\/0\/nothing is not here/);
  });
});

describe('the runs list and sweep event streams over HTTP', () => {
  const root = mkdtempSync(join(tmpdir(), 'graphc-board-lists-'));
  const trial = join(root, 'sweeps', 'demo', 'trials', 'ta63255602b3503aa6abe');
  let board: RunningBoard;

  beforeAll(async () => {
    mkdirSync(join(root, 'runs'));
    cpSync('docs/runs/sweep-readme-demo', join(root, 'sweeps', 'demo'), { recursive: true });
    // One trial still training: two of its evaluations written, no summary yet.
    const lines = readFileSync(join(trial, 'metrics.jsonl'), 'utf8').split('\n').filter((l) => l !== '');
    writeFileSync(join(trial, 'metrics.jsonl'), `${lines.slice(0, 2).join('\n')}\n`);
    rmSync(join(trial, 'summary.json'));
    board = await startBoard({ folders: [join(root, 'runs'), join(root, 'sweeps')], port: 0, pollMs: 200 });
  });

  afterAll(() => board.close());

  it('sends the runs list again when a run appears', async () => {
    const stream = openEvents(`${board.url}events/runs`);
    const first = (await stream.next('listing')) as { runs: unknown[]; sweeps: { counts: Record<string, number> }[] };
    expect(first.runs).toEqual([]);
    expect(first.sweeps[0]!.counts).toMatchObject({ running: 1, finished: 3 });
    writeMetrics(join(root, 'runs', 'new'), [evaluation(10)]);
    const second = (await stream.next('listing')) as { runs: { id: string; status: string }[] };
    expect(second.runs).toMatchObject([{ id: '0/new', status: 'running' }]);
    stream.close();
  });

  it("sends a sweep's table again as a trial evaluates", async () => {
    const stream = openEvents(`${board.url}events/sweep/1/demo`);
    type Sweep = { rows: { trial: string; status: string; steps?: number }[]; parallel: unknown };
    const row = (data: Sweep): { status: string; steps?: number } => data.rows.find((r) => r.trial === 'ta63255602b3503aa6abe')!;
    expect(row((await stream.next('sweep')) as Sweep)).toMatchObject({ status: 'running', steps: 100 });
    appendFileSync(join(trial, 'metrics.jsonl'), `${JSON.stringify(evaluation(150))}\n`);
    expect(row((await stream.next('sweep')) as Sweep)).toMatchObject({ status: 'running', steps: 150 });
    stream.close();
  });
});
