/**
 * graphc import on real PyTorch models (test/interop/torch_models.py, exported
 * by torch.onnx.export at opset 13): each imported spec compiles, and its
 * output on the imported weights equals PyTorch's on the cpu and wasm
 * backends within float32 tolerance. The largest difference per model and
 * backend is printed. Without torch the comparisons are skipped (with the
 * reason), unless GRAPHC_REQUIRE_TORCH=1.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphcError } from '../../../src/common/diagnostics/diagnostic.js';
import { importOnnx, type OnnxImport } from '../../../src/interop/onnx/index.js';
import { initBackend } from '../../../src/runtime/backends.js';
import type { AnyCompiledModel } from '../../../src/runtime/model.js';
import { torchAvailable } from '../../peer/harness.js';
import { compare, compileModule, exportTorchModels, runImported, type TorchModel } from './helpers.js';

const torch = torchAvailable();
const MODELS = ['mlp', 'mlp_softmax', 'cnn', 'gru', 'lstm'] as const;
// float32 sums in another order (tfjs's matmul and conv, the fused RNN kernels): a few ulps of outputs near 1.
const TOLERANCE = { rtol: 1e-4, atol: 1e-5 };

it.runIf(!torch.ok && process.env['GRAPHC_REQUIRE_TORCH'] === '1')('has an interpreter with torch (GRAPHC_REQUIRE_TORCH=1)', () => {
  expect.fail(`GRAPHC_REQUIRE_TORCH=1 but ${torch.reason}`);
});

describe.skipIf(!torch.ok)(`graphc import of PyTorch models${torch.ok ? '' : ` (skipped: ${torch.reason})`}`, () => {
  let models: Record<string, TorchModel> = {};
  const imported = new Map<string, { result: OnnxImport; module: AnyCompiledModel }>();
  const figures: string[] = [];
  const out = mkdtempSync(join(tmpdir(), 'graphc-import-'));

  beforeAll(async () => {
    models = exportTorchModels([...MODELS, 'transformer']);
    for (const name of MODELS) {
      const result = importOnnx(models[name]!.onnx, { out: join(out, `${name}.yaml`) });
      imported.set(name, { result, module: await compileModule(result.specPath) });
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
        figures.push(`  ${name.padEnd(12)} ${backend.padEnd(5)} ${maxAbs.toExponential(2)}`);
        expect(ok, `${name} on ${backend}: largest difference ${maxAbs}`).toBe(true);
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

  it("lists the nodes of a model graphc cannot express in one GC802 (the transformer's constant operands)", () => {
    let error: unknown;
    try {
      importOnnx(models['transformer']!.onnx, { out: join(out, 'transformer.yaml') });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GraphcError);
    const [d] = (error as GraphcError).diagnostics;
    expect(d?.code).toBe('GC802');
    // The attention's scaling by 1/√d first, then the ops graphc lacks downstream of it: the Pow of
    // each decomposed LayerNorm and the Erf of the GELU.
    expect(d?.message).toMatch(/graphc cannot express 4 nodes of this model:\n  - '\/layer\/self_attn\/Div_2' \(Div, opset 13\): its input is a constant; graphc has no constant tensors/);
    expect(d?.message).toContain("  - '/layer/Erf' (Erf, opset 13): graphc has no op for Erf; graphc imports the ops listed above");
  });
});
