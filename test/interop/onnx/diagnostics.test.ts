/**
 * What graphc import refuses, and how: every diagnostic of the ONNX import
 * (GC801–GC805) raised by a model built here, and a fuzz of a real model's
 * bytes (truncated, flipped) that either imports or fails with a GC8xx
 * diagnostic, never with another exception.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GraphcError, type Diagnostic } from '../../../src/common/diagnostics/diagnostic.js';
import { importOnnx } from '../../../src/interop/onnx/index.js';
import { AttributeType, encodeModel, floatTensor, type OnnxModel } from '../../../src/interop/onnx/proto.js';
import { RandomStream } from '../../../src/runtime/random.js';
import { floatInput, mnistMlp, model, node } from './models.js';

const dir = mkdtempSync(join(tmpdir(), 'graphc-onnx-diag-'));
let count = 0;

/** Writes the model and imports it; the diagnostic it fails with. */
function refusal(m: OnnxModel | Uint8Array): Diagnostic {
  const file = join(dir, `m${++count}.onnx`);
  writeFileSync(file, m instanceof Uint8Array ? m : encodeModel(m));
  try {
    importOnnx(file, { out: join(dir, `m${count}.yaml`) });
  } catch (error) {
    if (error instanceof GraphcError) return error.diagnostics[0]!;
    throw error;
  }
  throw new Error('the model imported');
}

const gemm = (units: number, inputs = 4) => [floatTensor('w', [units, inputs], new Float32Array(units * inputs)), floatTensor('b', [units], new Float32Array(units))];
const transB = { name: 'transB', type: AttributeType.INT, i: 1 };

describe('graphc import refuses', () => {
  it('opsets before 13 (GC801)', () => {
    const d = refusal(model([node('Relu', ['x'], ['y'])], [], [floatInput('x', ['N', 4])], [floatInput('y', ['N', 4])], 11));
    expect(d.code).toBe('GC801');
    expect(d.message).toContain('opset 11 of ai.onnx is not supported; graphc imports ai.onnx opset 13 and newer');
  });

  it('every node it cannot express, at once, with what it supports instead (GC802)', () => {
    const d = refusal(
      model(
        [node('Erf', ['x'], ['e'], [], 'erf_node'), node('Relu', ['e'], ['r']), node('Transpose', ['x'], ['t']), node('Round', ['t'], ['y'], [], 'round_node')],
        [],
        [floatInput('x', ['N', 4])],
        [floatInput('y', [4, 'N'])],
      ),
    );
    expect(d.code).toBe('GC802');
    // Relu reads Erf's output: an op graphc has, it is not reported again.
    expect(d.message).toMatch(/cannot express 2 nodes of this model:\n  - 'erf_node' \(Erf, opset 13\): graphc has no op for Erf outside the exact GELU, x·½·\(1 \+ Erf\(x\/√2\)\), which this node is not part of; graphc imports Gemm, MatMul, .*\n  - 'round_node' \(Round, opset 13\): graphc has no op for Round/);
  });

  it('a shape the file states that graphc does not infer (GC803)', () => {
    const d = refusal(model([node('Gemm', ['x', 'w', 'b'], ['y'], [transB])], gemm(3), [floatInput('x', ['N', 4])], [floatInput('y', ['N', 5])]));
    expect(d.code).toBe('GC803');
    expect(d.message).toContain("'y' is [?, 5] in the model's value_info but graphc infers [?, 3]");
  });

  it('a graph without inputs, and an input that varies past the batch (GC804)', () => {
    const noInput = refusal(model([node('Relu', ['w'], ['y'])], gemm(2).slice(0, 1), [], [floatInput('y', [2, 4])]));
    expect(noInput.code).toBe('GC804');
    expect(noInput.message).toContain('the graph has no input that is not an initializer');
    const dynamic = refusal(model([node('Relu', ['x'], ['y'])], [], [floatInput('x', ['N', 'T', 4])], [floatInput('y', ['N', 'T', 4])]));
    expect(dynamic.code).toBe('GC804');
    expect(dynamic.message).toContain("input 'x' has a run-time size in dimension 1");
  });

  it('an existing spec without --force, and a spec name that is not a name (GC752, GC753)', () => {
    const file = join(dir, 'mlp.onnx');
    writeFileSync(file, mnistMlp());
    importOnnx(file, { out: join(dir, 'mlp.yaml') });
    expect(() => importOnnx(file, { out: join(dir, 'mlp.yaml') })).toThrow(/GC752: .*mlp\.yaml already exists/);
    expect(() => importOnnx(file, { out: join(dir, 'my-model.yaml') })).toThrow(/GC753/);
  });
});

describe('graphc import of damaged files', () => {
  it('imports or refuses with a GC8xx diagnostic every truncation and byte flip of a model', () => {
    const bytes = mnistMlp(4);
    const random = new RandomStream(7, 'fuzz');
    const outcomes = { imported: 0, refused: new Map<string, number>() };
    for (let trial = 0; trial < 150; trial++) {
      const damaged = Uint8Array.from(bytes);
      let variant: Uint8Array = damaged;
      if (trial % 3 === 0) variant = damaged.subarray(0, random.nextInt(bytes.length));
      else for (let flips = 1 + random.nextInt(8); flips > 0; flips--) damaged[random.nextInt(bytes.length)] = random.nextInt(256);
      const file = join(dir, `fuzz.onnx`);
      writeFileSync(file, variant);
      try {
        importOnnx(file, { out: join(dir, 'fuzz.yaml'), force: true });
        outcomes.imported++;
      } catch (error) {
        expect(error, `trial ${trial}: ${String(error)}`).toBeInstanceOf(GraphcError);
        const code = (error as GraphcError).diagnostics[0]!.code;
        expect(code, `trial ${trial}: ${String(error)}`).toMatch(/^GC(8[01][0-9]|75[23])$/);
        outcomes.refused.set(code, (outcomes.refused.get(code) ?? 0) + 1);
      }
    }
    // Both outcomes occur: flips inside weights import; truncations and flips in the structure do not.
    expect(outcomes.imported).toBeGreaterThan(0);
    expect(outcomes.refused.get('GC800')).toBeGreaterThan(0);
  });
});
