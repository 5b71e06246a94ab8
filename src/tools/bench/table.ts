/**
 * `graphc bench --table`: the reference notebook's speed table — seconds per 500
 * training batches (batch 100) and 100 test batches for LSTM, GRU and Bi-GRU
 * at 1 and 2 layers and the 2-layer CNN — from graphs/, printed as the seed
 * printed it, with the two models graphs/ added since (the transformer and
 * the convnet) below the notebook's rows.
 */
import { fileURLToPath } from 'node:url';
import { displayPath } from '../../common/fs.js';
import type { BenchResult, BenchRow } from './bench.js';
import { markdownTable, ratio, seconds } from './format.js';
import type { BenchTarget } from './target.js';
import { baselineRatio, footer } from './report.js';

const specPath = (name: string): string => displayPath(fileURLToPath(new URL(`../../../graphs/${name}.yaml`, import.meta.url)));

/** The table's models in the reference notebook's order, with the spec each comes from. */
const MODELS: readonly { model: string; spec: string; layers: readonly number[] }[] = [
  { model: 'LSTM', spec: 'lstm', layers: [1, 2] },
  { model: 'GRU', spec: 'gru', layers: [1, 2] },
  { model: 'Bi-GRU', spec: 'bigru', layers: [1, 2] },
  // The tutorial CNN has its two conv layers built in: the reference notebook lists it under 2-layer only.
  { model: 'CNN', spec: 'cnn', layers: [2] },
  // Not in the notebook: two encoder blocks and two conv + batch-norm blocks, built in as the CNN's are.
  { model: 'Transformer', spec: 'transformer', layers: [2] },
  { model: 'Convnet', spec: 'convnet', layers: [2] },
];

/** The specs whose depth is LAYERS_PARAM; the others have theirs built in. */
const LAYERED_SPECS: ReadonlySet<string> = new Set(['lstm', 'gru', 'bigru']);

/** The param the RNN specs take their depth from. */
export const LAYERS_PARAM = 'layer_num';

/** The nine rows; `extraSet(spec)` adds the --set arguments that apply to a spec. */
export function seedTableTargets(extraSet: (spec: string) => readonly string[] = () => []): BenchTarget[] {
  return MODELS.flatMap(({ model, spec, layers }) =>
    layers.map((n) => {
      const path = specPath(spec);
      const depth = LAYERED_SPECS.has(spec) ? [`${LAYERS_PARAM}=${n}`] : [];
      return { spec: path, set: [...depth, ...extraSet(path)], row: { model, layers: n } };
    }),
  );
}

export function formatSeedTable(result: BenchResult): string {
  const cell = (model: string, layers: number, value: (row: BenchRow) => string): string => {
    const row = result.rows.find((r) => r.target.row?.model === model && r.target.row.layers === layers);
    return row ? value(row) : '-';
  };
  const table = (value: (row: BenchRow) => string): string =>
    markdownTable(
      ['Model', '1-layer', '2-layer'],
      MODELS.map(({ model }) => [model, cell(model, 1, value), cell(model, 2, value)]),
      ['center', 'center', 'center'],
    );
  const parts = [`graphc: seconds per 500 training batches (${batchSizes(result.rows)}) + 100 test batches`, '', table((r) => seconds(r.protocol.seconds))];
  if (result.rows.some((r) => r.baseline)) {
    parts.push('', `${result.baselineKind === 'pytorch' ? 'PyTorch' : 'tfjs-layers'} baseline: seconds per the same protocol (ratio = baseline / graphc, ms per training step)`, '');
    parts.push(table((r) => (r.baseline ? `${seconds(r.baseline.protocol.seconds)} (${ratio(baselineRatio(r)!)})` : '–')));
  }
  parts.push('', footer(result));
  return parts.join('\n');
}

/** "batch 100", or, where a spec's batch differs from the first row's (the convnet's 128), "batch 100; Convnet 128". */
function batchSizes(rows: readonly BenchRow[]): string {
  const first = rows[0]?.plan.batchSize ?? 100;
  const others = new Map<string, number>();
  for (const row of rows) if (row.plan.batchSize !== first && row.target.row) others.set(row.target.row.model, row.plan.batchSize);
  return [`batch ${first}`, ...[...others].map(([model, batch]) => `${model} ${batch}`)].join('; ');
}
