/**
 * Models for the export tests: a spec variant compiled into a module, its
 * variables given seeded random values (biases too, so a bias put in the
 * wrong place shows), and graphc's own forward pass in the evaluation phase
 * as the reference the exported model must reproduce.
 */
import { compileSpec } from '../../src/compiler/index.js';
import type { IrGraph } from '../../src/compiler/2-ir/graph.js';
import { Initializer } from '../../src/runtime/init.js';
import { RandomStream } from '../../src/runtime/random.js';
import { makeBatch, type ExampleShape, type FeatureArray } from '../../src/runtime/data/dataset.js';
import { toTensors } from '../../src/runtime/session.js';
import type { AnyCompiledModel } from '../../src/runtime/model.js';
import { tf } from '../../src/runtime/tf.js';
import type { Weight } from '../../src/tools/export/layers.js';
import { importVariant } from '../helpers/modules.js';

export interface RandomModel {
  readonly graph: IrGraph;
  readonly weights: ReadonlyMap<string, Weight>;
  /** graphc's values of `node` for `count` examples. */
  predict(features: FeatureArray, count: number, node: string): Float32Array;
  dispose(): void;
}

/** The spec at `file` (with `set` applied), with every variable drawn uniformly from [-0.5, 0.5) (variances from [0.5, 1.5)). */
export async function randomModel(file: string, set: readonly string[], seed = 7): Promise<RandomModel> {
  const compiled = compileSpec(file, { set, checkOnly: true });
  if (!compiled.graph) throw new Error(compiled.diagnostics.map((d) => `${d.code}: ${d.message}`).join('\n'));
  const graph = compiled.graph;
  const model: AnyCompiledModel = await importVariant(file, set);
  const init = new Initializer(new RandomStream(seed, 'init'));
  const vars = model.createVariables(init);
  const weights = new Map<string, Weight>();
  let k = 0;
  for (const { name, variable } of [...init.variables(), ...init.stateVariables()]) {
    const [lo, hi] = name.endsWith('variance') ? [0.5, 1.5] : [-0.5, 0.5];
    const values = tf.tidy(() => tf.randomUniform(variable.shape, lo, hi, 'float32', seed * 1000 + k++));
    variable.assign(values);
    weights.set(name, { shape: variable.shape, values: values.dataSync() as Float32Array });
    values.dispose();
  }
  const dataset = graph.train.dataset;
  const shape: ExampleShape =
    dataset === 'mnist'
      ? { features: [784], classes: 10 }
      : {
          features: graph.placeholders.find((p) => graph.train.feeds.eval[p.name] === 'batch.features')!.type.shape.slice(1) as number[],
          classes: typeof dataset.label.classes === 'number' ? dataset.label.classes : (dataset.label.classes?.length ?? 0),
          ...(dataset.feature_dtype === 'int32' ? { featureDtype: 'int32' as const } : {}),
        };
  return {
    graph,
    weights,
    predict: (features, count, node) =>
      tf.tidy(() => {
        const feeds = model.makeFeeds('eval', toTensors(makeBatch(features, new Float32Array(count * shape.classes), count, shape)));
        const values = model.forward(vars, feeds, { random: new RandomStream(seed, 'dropout'), phase: 'eval' }) as Record<string, tf.Tensor>;
        return values[node]!.dataSync() as Float32Array;
      }),
    dispose: () => {
      for (const v of [...init.variables(), ...init.stateVariables()]) v.variable.dispose();
    },
  };
}

/** Seeded uniform features in [0, 1). */
export function randomFeatures(count: number, width: number, seed = 3): Float32Array {
  return tf.tidy(() => tf.randomUniform([count, width], 0, 1, 'float32', seed).dataSync() as Float32Array);
}

/** The largest |a − b|. */
export function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} and ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}
