import { describe, expect, it } from 'vitest';
import type { BenchResult, BenchRow } from '../../../src/tools/bench/bench.js';
import type { Measured } from '../../../src/tools/bench/measured.js';
import { formatReport, jsonRows } from '../../../src/tools/bench/report.js';
import { formatSeedTable, seedTableTargets } from '../../../src/tools/bench/table.js';

const backend = { name: 'wasm' as const, device: 'a test CPU', skipped: [] };
const plan = { warmup: 1, steps: 3, evalBatches: 2, batchSize: 100, evalBatchSize: 100, clock: 'wall' as const };

function measured(trainMs: number, evalMs: number, seconds: number): Measured {
  const summary = (m: number) => ({ median: m, p25: m - 1, p75: m + 1, min: m - 2, max: m + 2, count: 3 });
  return { train: summary(trainMs), eval: summary(evalMs), protocol: { seconds, extrapolated: true } };
}

function row(target: BenchRow['target'], graphc: Measured, baseline?: Measured): BenchRow {
  return {
    target,
    model: 'lstm',
    params: { hidden_size: 256 },
    plan,
    parameters: 1234,
    ...graphc,
    ...(baseline ? { baseline: { ...baseline, description: 'tf.layers.lstm × 1', parameters: 1234 } } : {}),
  };
}

describe("the reference notebook's table", () => {
  it('has the seven rows in the seed\'s order, layer_num set per row and the CNN as 2-layer only, then the transformer and the convnet', () => {
    const targets = seedTableTargets((spec) => (/(cnn|convnet|transformer)\.yaml$/.test(spec) ? [] : ['hidden_size=8']));
    expect(targets.map((t) => [t.row!.model, t.row!.layers, t.spec.replace(/^.*graphs\//, ''), t.set.join(' ')])).toEqual([
      ['LSTM', 1, 'lstm.yaml', 'layer_num=1 hidden_size=8'],
      ['LSTM', 2, 'lstm.yaml', 'layer_num=2 hidden_size=8'],
      ['GRU', 1, 'gru.yaml', 'layer_num=1 hidden_size=8'],
      ['GRU', 2, 'gru.yaml', 'layer_num=2 hidden_size=8'],
      ['Bi-GRU', 1, 'bigru.yaml', 'layer_num=1 hidden_size=8'],
      ['Bi-GRU', 2, 'bigru.yaml', 'layer_num=2 hidden_size=8'],
      ['CNN', 2, 'cnn.yaml', ''],
      ['Transformer', 2, 'transformer.yaml', ''],
      ['Convnet', 2, 'convnet.yaml', ''],
    ]);
  });

  it('prints as the reference notebook did (Model | 1-layer | 2-layer), with the baseline table and the backend', () => {
    const rows = seedTableTargets().map((target, i) => row(target, measured(10 + i, 2, 6.25 + i), i === 6 ? undefined : measured(30 + i, 4, 20 + i)));
    const text = formatSeedTable({ backend, rows });
    expect(text).toContain(
      [
        'graphc: seconds per 500 training batches (batch 100) + 100 test batches',
        '',
        '| Model | 1-layer | 2-layer |',
        '| :---: | :---: | :---: |',
        '| LSTM | 6.3 | 7.3 |',
        '| GRU | 8.3 | 9.3 |',
        '| Bi-GRU | 10.3 | 11.3 |',
        '| CNN | - | 12.3 |',
        '| Transformer | - | 13.3 |',
        '| Convnet | - | 14.3 |',
      ].join('\n'),
    );
    expect(text).toContain('| LSTM | 20.0 (×3.00) | 21.0 (×2.82) |');
    expect(text).toContain('| CNN | - | – |');
    expect(text).toContain('backend wasm on a test CPU; wall-clock times');
    expect(text).toContain('extrapolated from the medians');
    expect(text).toContain('tfjs-layers baseline: seconds per the same protocol');
    const pytorch = formatSeedTable({ backend, baselineKind: 'pytorch', rows });
    expect(pytorch).toContain('PyTorch baseline: seconds per the same protocol');
    expect(pytorch).not.toContain('tfjs-layers');
  });

  it("names a row's batch in the header where it is not the others' (the convnet's 128)", () => {
    const rows = seedTableTargets().map((target) => ({ ...row(target, measured(10, 2, 6)), plan: { ...plan, batchSize: target.row!.model === 'Convnet' ? 128 : 100 } }));
    expect(formatSeedTable({ backend, rows })).toContain('graphc: seconds per 500 training batches (batch 100; Convnet 128) + 100 test batches');
  });
});

describe('the per-spec report and JSON', () => {
  const result: BenchResult = {
    backend,
    rows: [row({ spec: 'graphs/lstm.yaml', set: ['layer_num=1'] }, measured(12.345, 3.5, 6.5), measured(49.38, 7, 25)), row({ spec: 'graphs/x.yaml', set: [] }, measured(1.5, 1, 0.8))],
  };

  it('gives median and quartiles, the protocol seconds, and the ratio where there is a baseline', () => {
    const text = formatReport(result);
    expect(text).toContain('| graphs/lstm.yaml layer_num=1 | 12.3 (11.3–13.3) | 3.50 | 6.5 | 49.4 (48.4–50.4) | 25.0 | ×4.00 |');
    expect(text).toContain('| graphs/x.yaml | 1.50 (0.50–2.50) | 1.00 | 0.80 | – | – | – |');
    expect(text).toContain('timed: 3 training steps and 2 test batches of 100, after 1 warm-up step');
  });

  it('has the documented keys', () => {
    const [first, second] = jsonRows(result) as Record<string, unknown>[];
    expect(first).toMatchObject({
      spec: 'graphs/lstm.yaml',
      params: { hidden_size: 256 },
      backend: 'wasm',
      device: 'a test CPU',
      train_ms_per_step: 12.345,
      eval_ms_per_batch: 3.5,
      protocol_seconds: 6.5,
      extrapolated: true,
      baseline_train_ms_per_step: 49.38,
      baseline_ratio: 4,
    });
    expect(second).not.toHaveProperty('baseline_train_ms_per_step');
  });
});
