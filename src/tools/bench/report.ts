/** `graphc bench` output: a markdown table per run, or JSON rows. */
import type { BackendInfo } from '../../runtime/backends.js';
import type { BenchResult, BenchRow } from './bench.js';
import type { Measured } from './measured.js';
import { describeTarget } from './target.js';
import { markdownTable, ms, ratio, round3, seconds } from './format.js';
import { SEED_PROTOCOL } from './protocol.js';
import type { Clock } from './timing.js';

/** ratio = baseline / graphc, from the medians of ms per training step. */
export function baselineRatio(row: BenchRow): number | undefined {
  return row.baseline ? row.baseline.train.median / row.train.median : undefined;
}

function spread(m: Measured['train']): string {
  return `${ms(m.median)} (${ms(m.p25)}–${ms(m.p75)})`;
}

export function formatReport(result: BenchResult): string {
  const anyBaseline = result.rows.some((r) => r.baseline);
  const header = ['spec', 'train ms/step, median (p25–p75)', 'eval ms/batch', 's per notebook protocol'];
  const name = result.baselineKind === 'pytorch' ? 'PyTorch' : 'tfjs-layers';
  if (anyBaseline) header.push(`${name} ms/step`, `${name} s per protocol`, 'baseline / graphc');
  const rows = result.rows.map((r) => {
    const cells = [describeTarget(r.target), spread(r.train), ms(r.eval.median), seconds(r.protocol.seconds)];
    if (anyBaseline) {
      const b = r.baseline;
      cells.push(b ? spread(b.train) : '–', b ? seconds(b.protocol.seconds) : '–', b ? ratio(baselineRatio(r)!) : '–');
    }
    return cells;
  });
  return [markdownTable(header, rows, ['left', 'right', 'right', 'right', 'right', 'right', 'right']), '', footer(result)].join('\n');
}

/** What was measured, how, and where. */
export function footer(result: BenchResult): string {
  const clocks = [...new Set(result.rows.map((r) => r.plan.clock))];
  const lines = [`backend ${result.backend.name} on ${result.backend.device}; ${clocks.map(describeClock).join(', ')}`];
  if (result.backend.gemmPlan !== undefined) lines.push(`GEMM ${result.backend.gemmPlan}`);
  const plans = new Set(
    result.rows.map((r) => `${count(r.plan.steps, 'training step')} and ${count(r.plan.evalBatches, 'test batch', 'test batches')} of ${r.plan.batchSize}, after ${count(r.plan.warmup, 'warm-up step')}`),
  );
  lines.push(`timed: ${[...plans].join('; ')}`);
  const extrapolated = result.rows.some((r) => r.protocol.extrapolated);
  lines.push(
    `notebook protocol: ${SEED_PROTOCOL.trainSteps} training batches + ${SEED_PROTOCOL.evalBatches} test batches` +
      (extrapolated ? `, extrapolated from the medians (${SEED_PROTOCOL.trainSteps} × train + ${SEED_PROTOCOL.evalBatches} × eval)` : ', measured'),
  );
  const described = result.rows.find((r) => r.baseline)?.baseline?.description;
  if (described && result.baselineKind === 'pytorch') {
    lines.push(
      `baseline: the same models in PyTorch (pytorch/baseline.py) in a python3 process, same sizes, batch and optimizer, random inputs of MNIST's shapes: ${result.rows.length > 1 ? 'the first row, ' : ''}${described}; ratio = median ms per training step, baseline / graphc`,
    );
  } else if (described) lines.push('baseline: hand-written tfjs-layers models (src/tools/bench/baselines), same sizes, batch, optimizer and backend, in a process of their own on stock tfjs kernels; ratio = median ms per training step, baseline / graphc');
  return lines.join('\n');
}

/** The JSON rows `--json` prints. */
export function jsonRows(result: BenchResult): object[] {
  return result.rows.map((r) => jsonRow(r, result.backend));
}

function jsonRow(r: BenchRow, backend: BackendInfo): object {
  const spreadOf = (s: Measured['train']) => ({ p25: round3(s.p25), p75: round3(s.p75), min: round3(s.min), max: round3(s.max) });
  return {
    spec: r.target.spec,
    ...(r.target.row ? { model: r.target.row.model, layers: r.target.row.layers } : {}),
    set: r.target.set,
    params: r.params,
    backend: backend.name,
    device: backend.device,
    batch_size: r.plan.batchSize,
    warmup: r.plan.warmup,
    clock: r.plan.clock,
    steps: r.plan.steps,
    eval_batches: r.plan.evalBatches,
    parameters: r.parameters,
    train_ms_per_step: round3(r.train.median),
    train_ms_spread: spreadOf(r.train),
    eval_ms_per_batch: round3(r.eval.median),
    eval_ms_spread: spreadOf(r.eval),
    protocol_seconds: round3(r.protocol.seconds),
    extrapolated: r.protocol.extrapolated,
    ...(r.baseline
      ? {
          baseline: r.baseline.description,
          baseline_parameters: r.baseline.parameters,
          baseline_train_ms_per_step: round3(r.baseline.train.median),
          baseline_train_ms_spread: spreadOf(r.baseline.train),
          baseline_eval_ms_per_batch: round3(r.baseline.eval.median),
          baseline_protocol_seconds: round3(r.baseline.protocol.seconds),
          baseline_ratio: round3(baselineRatio(r)!),
        }
      : {}),
  };
}

function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

function describeClock(clock: Clock): string {
  return clock === 'wall' ? 'wall-clock times' : "CPU times (this process's user + system time, not the wall clock)";
}
