/**
 * graphc import on real PyTorch models (test/interop/torch_models.py, exported
 * by torch.onnx.export at opset 13): each imported spec compiles, and its
 * output on the imported weights equals PyTorch's and ONNX Runtime's
 * (onnxruntime-web on the original file) on the cpu and wasm backends within
 * float32 tolerance; an imported nn.TransformerEncoderLayer fine-tunes with
 * --init. The largest difference per model and backend is printed. Without
 * torch the comparisons are skipped (with the reason), unless GRAPHC_REQUIRE_TORCH=1.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { dump } from 'npyjs';
import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importOnnx, type OnnxImport } from '../../../src/interop/onnx/index.js';
import { initBackend } from '../../../src/runtime/backends.js';
import { readCheckpointFile } from '../../../src/runtime/checkpoint.js';
import { RandomStream } from '../../../src/runtime/random.js';
import { runModel } from '../../../src/runtime/trainer.js';
import type { AnyCompiledModel } from '../../../src/runtime/model.js';
import { torchAvailable } from '../../peer/harness.js';
import { compare, compileModule, exportTorchModels, runImported, type TorchModel } from './helpers.js';

const torch = torchAvailable();
// nn.TransformerEncoderLayer, batch_first, post- and pre-norm (norm_first), GELU and ReLU.
const TRANSFORMERS = ['transformer', 'transformer_prenorm', 'transformer_relu', 'transformer_relu_prenorm'] as const;
const MODELS = ['mlp', 'mlp_softmax', 'cnn', 'gru', 'lstm', ...TRANSFORMERS] as const;
// float32 sums in another order (tfjs's matmul and conv, the fused RNN kernels): a few ulps of outputs near 1.
const TOLERANCE = { rtol: 1e-4, atol: 1e-5 };

it.runIf(!torch.ok && process.env['GRAPHC_REQUIRE_TORCH'] === '1')('has an interpreter with torch (GRAPHC_REQUIRE_TORCH=1)', () => {
  expect.fail(`GRAPHC_REQUIRE_TORCH=1 but ${torch.reason}`);
});

describe.skipIf(!torch.ok)(`graphc import of PyTorch models${torch.ok ? '' : ` (skipped: ${torch.reason})`}`, () => {
  let models: Record<string, TorchModel> = {};
  const imported = new Map<string, { result: OnnxImport; module: AnyCompiledModel }>();
  const figures: string[] = [];
  /** ONNX Runtime's output on each original file, for the same input PyTorch had. */
  const runtime = new Map<string, number[]>();
  const out = mkdtempSync(join(tmpdir(), 'graphc-import-'));

  beforeAll(async () => {
    models = exportTorchModels(MODELS);
    for (const name of MODELS) {
      const result = importOnnx(models[name]!.onnx, { out: join(out, `${name}.yaml`) });
      imported.set(name, { result, module: await compileModule(result.specPath) });
      const model = models[name]!;
      const session = await ort.InferenceSession.create(model.onnx);
      const outputs = await session.run({ input: new ort.Tensor('float32', Float32Array.from(model.input), [...model.shape]) });
      runtime.set(name, Array.from(outputs['output']!.data as Float32Array));
      await session.release();
    }
  }, 180_000);

  afterAll(() => {
    if (figures.length > 0) process.stdout.write(`largest |graphc − PyTorch| per imported model:\n${figures.join('\n')}\n`);
  });

  for (const backend of ['cpu', 'wasm'] as const) {
    for (const name of MODELS) {
      it(`${name} on ${backend}: graphc's output on the imported weights is PyTorch's`, async () => {
        await initBackend(backend);
        const model = models[name]!;
        const { result, module } = imported.get(name)!;
        const got = await runImported(module, result, model.input, model.shape[0]!);
        const { maxAbs, ok } = compare(got, model.output, TOLERANCE);
        const ort = compare(got, runtime.get(name)!, TOLERANCE);
        figures.push(`  ${name.padEnd(24)} ${backend.padEnd(5)} vs PyTorch ${maxAbs.toExponential(2)}, vs ONNX Runtime ${ort.maxAbs.toExponential(2)}`);
        expect(ok, `${name} on ${backend}: largest difference from PyTorch ${maxAbs}`).toBe(true);
        expect(ort.ok, `${name} on ${backend}: largest difference from ONNX Runtime ${ort.maxAbs}`).toBe(true);
      });
    }
  }

  it('writes nodes named after the ONNX graph, with weights as variables in the checkpoint', () => {
    const gru = imported.get('gru')!.result;
    expect(gru.spec.text).toMatch(/rnn_gru: \{op: stack_bidirectional_rnn, inputs: \[input\], layers: 1, cell: \{type: block_gru, units: \$rnn_gru_units, reset_after: true\}\}/);
    expect(gru.graph.variables.map((v) => v.name)).toContain('rnn_gru/layer_0/bw/candidate/recurrent_bias');
    const cnn = imported.get('cnn')!.result;
    expect(cnn.spec.text).toMatch(/bn1: \{op: batch_norm, inputs: \[conv1\]/);
    expect(cnn.graph.state.map((v) => v.name)).toEqual(['bn1/moving_mean', 'bn1/moving_variance', 'bn2/moving_mean', 'bn2/moving_variance']);
    // MNIST-shaped: the spec trains on MNIST as written.
    expect(imported.get('mlp')!.result.spec.dataset).toBe('mnist');
  });

  it("imports nn.TransformerEncoderLayer's decomposed LayerNorm, GELU and attention as graphc's layer_norm, gelu and multi_head_attention", () => {
    const post = imported.get('transformer')!.result;
    expect(post.spec.text).toContain('layer_self_attn: {op: multi_head_attention, inputs: [input, input], num_heads: 2}');
    expect(post.spec.text).toContain('layer_norm1: {op: layer_norm, inputs: [layer], epsilon: 0.00001}');
    expect(post.spec.text).toContain('layer_Gelu: {op: gelu, inputs: [layer_linear1]}');
    // Nothing of the primitives is left: no matmul, softmax, transpose, reshape, erf.
    expect(post.spec.text).not.toMatch(/op: (matmul|softmax|transpose|reshape|slice|sqrt|pow|div)\b/);
    expect(post.graph.variables.map((v) => v.name)).toEqual(expect.arrayContaining(['layer_self_attn/query/kernel', 'layer_self_attn/output/bias', 'layer_norm1/gamma', 'layer_norm2/beta']));
    // norm_first: the norm reads the input, the attention reads the norm.
    const pre = imported.get('transformer_relu_prenorm')!.result;
    expect(pre.spec.text).toContain('layer_norm1: {op: layer_norm, inputs: [input], epsilon: 0.00001}');
    expect(pre.spec.text).toContain('layer_self_attn: {op: multi_head_attention, inputs: [layer_norm1, layer_norm1], num_heads: 2}');
  });

  it('fine-tunes the imported transformer with --init: a few steps lower the loss', async () => {
    await initBackend('cpu');
    const { result, module } = imported.get('transformer')!;
    // A task the model can learn: the class is the largest of the first 4 features averaged over time; NPY files beside the spec.
    const random = new RandomStream(5, 'data');
    const write = (split: string, n: number): void => {
      const features = Float32Array.from({ length: n * 40 }, () => random.nextFloat() * 2 - 1);
      const labels = Int32Array.from({ length: n }, (_, i) => {
        const means = [0, 1, 2, 3].map((c) => [0, 1, 2, 3, 4].reduce((sum, t) => sum + features[i * 40 + t * 8 + c]!, 0));
        return means.indexOf(Math.max(...means));
      });
      writeFileSync(join(dirname(result.specPath), `transformer-${split}-features.npy`), new Uint8Array(dump(features, [n, 5, 8])));
      writeFileSync(join(dirname(result.specPath), `transformer-${split}-labels.npy`), new Uint8Array(dump(labels, [n])));
    };
    write('train', 512);
    write('test', 256);
    const init = { checkpoint: readCheckpointFile(result.checkpointPath), file: result.checkpointPath };
    const options = { backend: 'cpu', evalBatches: 4, batchSize: 64, print: () => {}, status: () => {}, init, dataBase: dirname(result.specPath) } as const;
    const first = (await runModel(module, { ...options, steps: 1, evalEvery: 1 })).evaluations[0]!.test['cost']!;
    const tuned = (await runModel(module, { ...options, steps: 60, evalEvery: 60 })).evaluations[0]!.test['cost']!;
    process.stdout.write(`imported transformer, test cost: ${first.toFixed(4)} after 1 step, ${tuned.toFixed(4)} after 60 steps\n`);
    expect(tuned).toBeLessThan(first * 0.9);
  }, 120_000);
});
