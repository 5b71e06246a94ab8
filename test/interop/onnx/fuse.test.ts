/**
 * fuse.ts without PyTorch: a LayerNorm written out in primitives and the
 * exact GELU in the order graphc's own export writes it become layer_norm and
 * gelu, computing what ONNX Runtime computes from the same file; a look-alike
 * that is not a GELU (x/2 into the Erf) is left alone and refused (GC802).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { GraphcError } from '../../../src/common/diagnostics/diagnostic.js';
import { importOnnx } from '../../../src/interop/onnx/index.js';
import { AttributeType, encodeModel, floatTensor, int64Tensor } from '../../../src/interop/onnx/proto.js';
import { initBackend } from '../../../src/runtime/backends.js';
import { compare, compileModule, runImported } from './helpers.js';
import { floatInput, model, node } from './models.js';

const dir = mkdtempSync(join(tmpdir(), 'graphc-onnx-fuse-'));
const scalar = (name: string, value: number) => floatTensor(name, [], Float32Array.of(value));

/** x [batch, 6] → LayerNorm written out (ε 1e-5, γ, β) → Gemm to 4 → GELU as x·½ then ·(1 + erf(x·(1/√2))), or with x/`divisor` into the Erf. */
function file(name: string, divisor?: number): string {
  const axes = { name: 'axes', type: AttributeType.INTS, ints: [-1] };
  const transB = { name: 'transB', type: AttributeType.INT, i: 1 };
  const onnx = model(
    [
      node('ReduceMean', ['x'], ['mean'], [axes], '/norm/ReduceMean'),
      node('Sub', ['x', 'mean'], ['centred'], [], '/norm/Sub'),
      node('Pow', ['centred', 'two'], ['squared'], [], '/norm/Pow'),
      node('ReduceMean', ['squared'], ['variance'], [axes], '/norm/ReduceMean_1'),
      node('Add', ['variance', 'epsilon'], ['shifted'], [], '/norm/Add'),
      node('Sqrt', ['shifted'], ['deviation'], [], '/norm/Sqrt'),
      node('Div', ['centred', 'deviation'], ['normal'], [], '/norm/Div'),
      node('Mul', ['normal', 'gamma'], ['scaled'], [], '/norm/Mul'),
      node('Add', ['scaled', 'beta'], ['normed'], [], '/norm/Add_1'),
      node('Gemm', ['normed', 'w', 'b'], ['h'], [transB], '/fc/Gemm'),
      node('Mul', ['h', 'half'], ['half_h'], [], '/act/Mul'),
      divisor === undefined ? node('Mul', ['h', 'rsqrt2'], ['inner'], [], '/act/Mul_1') : node('Div', ['h', 'divisor'], ['inner'], [], '/act/Div'),
      node('Erf', ['inner'], ['erf'], [], '/act/Erf'),
      node('Add', ['erf', 'one'], ['one_plus'], [], '/act/Add'),
      node('Mul', ['half_h', 'one_plus'], ['y'], [], '/act/Mul_2'),
    ],
    [
      scalar('two', 2),
      scalar('epsilon', 1e-5),
      floatTensor('gamma', [6], Float32Array.from([0.5, 1.5, 1, 0.8, 1.2, 0.9])),
      floatTensor('beta', [6], Float32Array.from([0.1, -0.2, 0.3, 0, -0.1, 0.2])),
      floatTensor('w', [4, 6], Float32Array.from({ length: 24 }, (_, i) => Math.sin(i) * 0.7)),
      floatTensor('b', [4], Float32Array.from([0.1, -0.1, 0.2, 0])),
      scalar('half', 0.5),
      scalar('rsqrt2', Math.SQRT1_2),
      scalar('divisor', divisor ?? 1),
      scalar('one', 1),
    ],
    [floatInput('x', ['batch', 6])],
    [floatInput('y', ['batch', 4])],
  );
  const path = join(dir, `${name}.onnx`);
  writeFileSync(path, encodeModel(onnx));
  return path;
}

beforeAll(async () => {
  await initBackend('cpu');
});

describe('fusing decompositions at import', () => {
  it('a LayerNorm and a GELU written out become layer_norm and gelu, computing what ONNX Runtime computes', async () => {
    const path = file('norm_gelu');
    const imported = importOnnx(path, { out: join(dir, 'norm_gelu.yaml') });
    expect(imported.spec.text).toContain('norm: {op: layer_norm, inputs: [x], epsilon: 0.00001}');
    expect(imported.spec.text).toMatch(/act: \{op: gelu, inputs: \[fc\]\}/);
    expect(imported.spec.text).not.toMatch(/op: (reduce_mean|sqrt|div|sub)\b/);
    const input = Array.from({ length: 3 * 6 }, (_, i) => Math.cos(i * 1.3) * 2);
    const session = await ort.InferenceSession.create(path);
    const expected = Array.from((await session.run({ x: new ort.Tensor('float32', Float32Array.from(input), [3, 6]) }))['y']!.data as Float32Array);
    await session.release();
    const got = await runImported(await compileModule(imported.specPath), imported, input, 3);
    const { maxAbs, ok } = compare(got, expected, { rtol: 1e-4, atol: 1e-5 });
    expect(ok, `largest difference ${maxAbs}`).toBe(true);
  }, 60_000);

  it('x/2 into the Erf is no GELU: the Erf is refused, naming the node (GC802)', () => {
    let error: unknown;
    try {
      importOnnx(file('not_gelu', 2), { out: join(dir, 'not_gelu.yaml') });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GraphcError);
    const [d] = (error as GraphcError).diagnostics;
    expect(d?.code).toBe('GC802');
    expect(d?.message).toContain("'/act/Erf' (Erf, opset 13): graphc has no op for Erf");
  });

  it('a malformed file whose values form cycles (Reshape and Identity loops) is an error, not a hang', () => {
    const cyclic = model(
      [
        node('Reshape', ['b', 'shape'], ['a'], [], '/loop/Reshape'),
        node('Reshape', ['a', 'shape'], ['b'], [], '/loop/Reshape_1'),
        node('Identity', ['d'], ['c'], [], '/loop/Identity'),
        node('Identity', ['c'], ['d'], [], '/loop/Identity_1'),
        node('MatMul', ['a', 'a'], ['s'], [], '/attn/MatMul'),
        node('Mul', ['s', 'c'], ['t'], [], '/attn/Mul'),
        node('Softmax', ['t'], ['p'], [], '/attn/Softmax'),
        node('MatMul', ['p', 'a'], ['y'], [], '/attn/MatMul_1'),
      ],
      [int64Tensor('shape', [2], [-1, 4])],
      [floatInput('x', ['batch', 4])],
      [floatInput('y', ['batch', 4])],
    );
    const path = join(dir, 'cyclic.onnx');
    writeFileSync(path, encodeModel(cyclic));
    expect(() => importOnnx(path, { out: join(dir, 'cyclic.yaml') })).toThrow(GraphcError);
  });
});
