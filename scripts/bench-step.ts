/**
 * Median time of one full training step (forward, backward, Adam) of
 * graphs/bigru.yaml, for graphc's wasm kernels and workers against the same
 * lowerings on tfjs's stock kernels. A stopgap until `graphc bench` lands.
 *
 *   npx tsx scripts/bench-step.ts [--steps 5] [--workers 1,2] [--cells block_gru,gru] [--set name=value ...]
 *
 * The stock configurations run in a child process (graphc's kernels replace
 * tfjs's for the whole process); the two processes take turns, one step per
 * configuration per round, so that machine load hits all rows alike.
 * Reported per row: median wall ms per step, median CPU ms per step (all
 * threads of the process), and the ratio of the stock row's wall median.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compileVariant } from '../src/cli/commands/run.js';
import { initBackend } from '../src/runtime/backends.js';
import { loadMnist } from '../src/runtime/data/index.js';
import type { AnyCompiledModel } from '../src/runtime/model.js';
import { createStepper, type Stepper } from '../src/runtime/parallel/pool.js';
import { RandomStream } from '../src/runtime/random.js';
import { TrainingSession } from '../src/runtime/session.js';
import { tf } from '../src/runtime/tf.js';

interface Config {
  readonly label: string;
  readonly cell: string;
  readonly workers: number;
}

interface Row extends Config {
  readonly wall: number[];
  readonly cpu: number[];
}

const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1]! : fallback;
};
const steps = Number(option('--steps', '5'));
const sets = args.flatMap((a, i) => (args[i - 1] === '--set' ? [a] : []));
const cells = option('--cells', 'block_gru,gru').split(',');
const workerCounts = option('--workers', '1,2').split(',').map(Number);
const stock = args.includes('--stock-child');

tf.env().set('PROD', true);
const data = loadMnist({ random: new RandomStream(1, 'data') }).train;

async function open(config: Config): Promise<{ config: Config; stepper: Stepper; session: TrainingSession<unknown, unknown, Record<string, tf.Tensor>> }> {
  const path = compileVariant('graphs/bigru.yaml', [`cell_type=${config.cell}`, ...sets], '.graphc/bench-modules');
  const { model } = (await import(pathToFileURL(resolve(path)).href)) as { model: AnyCompiledModel };
  const session = new TrainingSession(model, 1);
  const stepper = await createStepper(session, { workers: config.workers, backend: 'wasm', moduleUrl: model.url });
  return { config, stepper, session };
}

/** One step of each configuration; [wall ms, cpu ms] each. */
async function round(open: Awaited<ReturnType<typeof openAll>>): Promise<Array<[number, number]>> {
  const times: Array<[number, number]> = [];
  for (const { stepper } of open) {
    const batch = data.nextBatch(100);
    const cpu = process.cpuUsage();
    const start = performance.now();
    const metrics = await stepper.trainStep(batch);
    metrics.dataSync();
    metrics.dispose();
    const used = process.cpuUsage(cpu);
    times.push([performance.now() - start, (used.user + used.system) / 1000]);
  }
  return times;
}

async function openAll(configs: readonly Config[]) {
  const opened = [];
  for (const c of configs) opened.push(await open(c));
  return opened;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

if (stock) {
  // The child: tfjs's stock wasm kernels, graphc's lowerings as composites.
  await import('@tensorflow/tfjs-backend-wasm');
  await tf.setBackend('wasm');
  const opened = await openAll(cells.map((cell) => ({ label: `${cell}, stock tfjs kernels`, cell, workers: 1 })));
  process.on('message', async () => process.send!(await round(opened)));
  process.send!('ready');
} else {
  await initBackend('wasm');
  const configs: Config[] = cells.flatMap((cell) =>
    (cell === 'block_gru' ? workerCounts : [1]).map((workers) => ({ label: `${cell}, graphc kernels, ${workers} worker${workers > 1 ? 's' : ''}`, cell, workers })),
  );
  const opened = await openAll(configs);
  const child = fork(fileURLToPath(import.meta.url), [...args, '--stock-child'], { execArgv: process.execArgv });
  const ask = (c: ChildProcess): Promise<Array<[number, number]>> => new Promise((res) => c.once('message', (m) => res(m as Array<[number, number]>)));
  await new Promise((res) => child.once('message', res));
  const stockConfigs: Config[] = cells.map((cell) => ({ label: `${cell}, stock tfjs kernels`, cell, workers: 1 }));
  const rows: Row[] = [...stockConfigs, ...configs].map((c) => ({ ...c, wall: [], cpu: [] }));
  // One warm-up round, then the measured ones.
  for (let r = 0; r <= steps; r++) {
    const reply = ask(child);
    child.send('step');
    const stockTimes = await reply;
    const ours = await round(opened);
    if (r === 0) continue;
    [...stockTimes, ...ours].forEach(([wall, cpu], i) => {
      rows[i]!.wall.push(wall);
      rows[i]!.cpu.push(cpu);
    });
  }
  child.kill();
  for (const { stepper, session } of opened) {
    await stepper.close();
    session.dispose();
  }
  const baseline = new Map(rows.slice(0, stockConfigs.length).map((r) => [r.cell, median(r.wall)]));
  console.log(`bigru ${sets.join(' ')} batch 100, wasm, ${steps} measured steps after 1 warm-up, medians:`);
  for (const row of rows) {
    const wall = median(row.wall);
    const ratio = baseline.get(row.cell)! / wall;
    console.log(`${row.label.padEnd(40)} ${(wall / 1000).toFixed(2).padStart(6)} s/step wall  ${(median(row.cpu) / 1000).toFixed(2).padStart(6)} s CPU  ${ratio.toFixed(2).padStart(5)}x vs stock   [${row.wall.map((w) => (w / 1000).toFixed(2)).join(' ')}]`);
  }
}
