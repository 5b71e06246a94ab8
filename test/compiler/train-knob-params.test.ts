/**
 * Every training knob is a param a sweep can vary: early stopping's monitor,
 * patience and min_delta, weight_decay, clip, class_weights (balanced, or a
 * list with $param items) and micro_batches take `$param` values, `--set`
 * changes them in the compiled schedule, and `graphc sweep --grid` over them
 * prepares (every variant compiles: prepareSweep checks them all): two grids,
 * each knob's two values in all combinations with the others of its grid,
 * micro_batches in both (24 variants rather than the 128 of the full product).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSpec } from '../../src/compiler/index.js';
import { prepareSweep } from '../../src/tools/sweep/prepare.js';

const SPEC = `
name: knobs
params:
  monitor: test.acc
  patience: 2
  min_delta: 0
  weight_decay: 0.0001
  clip_norm: 5
  class_weights: balanced
  rare: 3
  micro: 1
placeholders:
  x: {dtype: float32, shape: [null, 784]}
  ids: {dtype: int32, shape: [null]}
nodes:
  logits: {op: dense, inputs: [x], units: 10}
  loss: {op: sparse_softmax_cross_entropy, inputs: [ids, logits], class_weights: $class_weights}
  listed: {op: sparse_softmax_cross_entropy, inputs: [ids, logits], class_weights: [1, 1, 1, 1, 1, $rare, 1, 1, 1, 1]}
  predicted: {op: argmax, inputs: [logits], axis: 1}
  hits: {op: equal, inputs: [predicted, ids]}
  hits_float: {op: cast, inputs: [hits], dtype: float32}
  accuracy: {op: reduce_mean, inputs: [hits_float]}
train:
  loss: loss
  optimizer: {type: sgd, learning_rate: 0.1}
  early_stopping: {monitor: $monitor, patience: $patience, min_delta: $min_delta}
  weight_decay: {rate: $weight_decay}
  clip: {global_norm: $clip_norm}
  micro_batches: $micro
  dataset: mnist
  steps: 10
  batch_size: 8
  feeds:
    train: {x: batch.images, ids: batch.label_ids}
    eval: {x: batch.images, ids: batch.label_ids}
  eval: {every: 5, batches: 1}
  metrics: {cost: loss, acc: accuracy, listed: listed}
`;

function specFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'graphc-knob-params-'));
  const file = join(dir, 'knobs.yaml');
  writeFileSync(file, SPEC);
  return file;
}

describe('training knobs as params', () => {
  it('--set changes each knob in the compiled schedule', () => {
    const file = specFile();
    const defaults = checkSpec(file);
    expect(defaults.diagnostics).toEqual([]);
    const t = defaults.graph!.train;
    expect(t.earlyStopping).toEqual({ monitor: 'test.acc', mode: 'max', minDelta: 0, patience: 2 });
    expect(t.weightDecay?.rate).toBe(1e-4);
    expect(t.clip).toEqual({ globalNorm: 5 });
    expect(t.classWeights).toBe('balanced');
    expect(t.microBatches).toBeUndefined();

    const set = ['monitor=validation.cost', 'patience=4', 'min_delta=0.01', 'weight_decay=0', 'clip_norm=0', 'class_weights=balanced', 'rare=7', 'micro=4'];
    const varied = checkSpec(file, { set });
    expect(varied.diagnostics).toEqual([]);
    const v = varied.graph!.train;
    expect(v.earlyStopping).toEqual({ monitor: 'validation.cost', mode: 'min', minDelta: 0.01, patience: 4 });
    // 0 switches weight decay and clipping off, so a sweep can compare with and without.
    expect(v.weightDecay).toBeUndefined();
    expect(v.clip).toBeUndefined();
    expect(v.microBatches).toBe(4);
    const listed = varied.graph!.nodes.find((n) => n.name === 'listed')!;
    expect(listed.attrs['class_weights']).toEqual([1, 1, 1, 1, 1, 7, 1, 1, 1, 1]);
  });

  it('a bad value from --set is located as in the spec (micro_batches that does not divide the batch: GC571)', () => {
    const result = checkSpec(specFile(), { set: ['micro=3'] });
    expect(result.diagnostics.map((d) => d.code)).toEqual(['GC571']);
  });

  it('graphc sweep --grid over every knob prepares: all variants of two grids compile', () => {
    const file = specFile();
    const grids = [
      { grid: ['monitor=test.acc,validation.acc', 'patience=1,3', 'min_delta=0,0.01', 'micro=1,2'], set: ['class_weights=balanced'], variants: 16 },
      { grid: ['weight_decay=0,0.001', 'clip_norm=0,1', 'rare=1,5'], set: ['class_weights=balanced', 'monitor=validation.acc', 'micro=2'], variants: 8 },
    ];
    for (const { grid, set, variants } of grids) {
      const { definition } = prepareSweep(file, { grid, random: [], repeat: 1, seed: 1, set, schedule: {} }, mkdtempSync(join(tmpdir(), 'graphc-knob-sweep-')));
      expect(definition.trials).toHaveLength(variants);
      // Each knob of the grid takes each of its values in half the trials.
      for (const knob of grid) {
        const [name, values] = knob.split('=') as [string, string];
        for (const value of values.split(',')) {
          expect(definition.trials.filter((t) => String(t.params[name]) === value), `${name}=${value}`).toHaveLength(variants / 2);
        }
      }
    }
  });
});
