/**
 * What the ONNX import tests share: the PyTorch models of torch_models.py
 * exported once per run into a temporary folder, and an imported spec
 * compiled into a module (under .graphc/interop/, named by its content) and
 * run on the imported weights, through the same loading `graphc run --init` uses.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compileSpecText } from '../../../src/compiler/index.js';
import { readCheckpointFile, tensorValues } from '../../../src/runtime/checkpoint.js';
import type { AnyCompiledModel } from '../../../src/runtime/model.js';
import { RandomStream } from '../../../src/runtime/random.js';
import { TrainingSession } from '../../../src/runtime/session.js';
import { tf } from '../../../src/runtime/tf.js';
import { pythonCommand } from '../../peer/harness.js';
import type { OnnxImport } from '../../../src/interop/onnx/index.js';

const SCRIPT = fileURLToPath(new URL('../torch_models.py', import.meta.url));
const MODULE_DIR = join('.graphc', 'interop');

/** A model PyTorch exported: the ONNX file, the input it was exported with and PyTorch's output on it. */
export interface TorchModel {
  readonly onnx: string;
  readonly shape: readonly number[];
  readonly input: readonly number[];
  readonly outputShape: readonly number[];
  readonly output: readonly number[];
}

/** Exports the named models of torch_models.py into a fresh temporary folder. */
export function exportTorchModels(names: readonly string[]): Record<string, TorchModel> {
  const dir = mkdtempSync(join(tmpdir(), 'graphc-onnx-'));
  const r = spawnSync(pythonCommand(), [SCRIPT, dir, ...names], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`torch_models.py failed (${r.status}):\n${r.stderr}`);
  return Object.fromEntries(
    names.map((name) => {
      const data = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as Omit<TorchModel, 'onnx'>;
      return [name, { ...data, onnx: join(dir, `${name}.onnx`) }];
    }),
  );
}

/** Compiles a spec file's text into a module and imports it. */
export async function compileModule(specPath: string): Promise<AnyCompiledModel> {
  const text = readFileSync(specPath, 'utf8');
  const result = compileSpecText(text, specPath);
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (!result.code || errors.length > 0) throw new Error(`the imported spec does not compile:\n${errors.map((d) => `${d.code}: ${d.message}`).join('\n')}\n${text}`);
  const hash = createHash('sha256').update(result.code).digest('hex').slice(0, 12);
  const path = resolve(MODULE_DIR, `${result.graph!.name}-${hash}.ts`);
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, result.code);
  }
  return ((await import(pathToFileURL(path).href)) as { model: AnyCompiledModel }).model;
}

/**
 * The imported model's output node on `input` (fed in the shape the spec
 * declares its placeholder; the label placeholder gets zeros), inference phase,
 * on the current backend, with the checkpoint's weights loaded as
 * graphc run --init loads them.
 */
export async function runImported(model: AnyCompiledModel, imported: OnnxImport, input: readonly number[], batch: number): Promise<Float32Array> {
  const checkpoint = readCheckpointFile(imported.checkpointPath);
  const session = new TrainingSession(model, 0);
  try {
    const values = (e: (typeof checkpoint.header.variables)[number]) => ({ name: e.name, shape: e.shape, values: tensorValues(checkpoint, e) });
    session.loadWeights(checkpoint.header.variables.map(values), (checkpoint.header.state ?? []).map(values));
    return await tf.tidy(() => {
      const placeholder = imported.spec.input;
      const declared = placeholder === imported.graph.placeholders[0]!.name ? imported.graph.placeholders[0]!.shape : [null, 784];
      const x = tf.tensor(input as number[], [batch, ...(declared.slice(1) as number[])]);
      const [out] = imported.graph.outputs;
      const classifier = out!.shape.length === 2;
      const labels = classifier ? { label_ids: tf.zeros([batch], 'int32') } : { targets: tf.zeros([batch, ...(out!.shape.slice(1) as number[])]) };
      const nodes = model.forward(session.vars, { [placeholder]: x, ...labels } as never, { random: new RandomStream(0, 'dropout'), exampleOffset: 0, phase: 'eval' }) as Record<string, tf.Tensor>;
      return nodes[imported.spec.output]!.clone();
    }).data() as Float32Array;
  } finally {
    session.dispose();
  }
}

/** The largest |a − b|, and whether every element is within atol + rtol·|b|. */
export function compare(graphc: ArrayLike<number>, torch: readonly number[], tol: { rtol: number; atol: number }): { maxAbs: number; ok: boolean } {
  if (graphc.length !== torch.length) return { maxAbs: Number.POSITIVE_INFINITY, ok: false };
  let maxAbs = 0;
  let ok = true;
  for (let i = 0; i < torch.length; i++) {
    const d = Math.abs(graphc[i]! - torch[i]!);
    maxAbs = Math.max(maxAbs, d);
    if (!(d <= tol.atol + tol.rtol * Math.abs(torch[i]!))) ok = false;
  }
  return { maxAbs, ok };
}
