/**
 * The shape ops end to end (test/fixtures/shape-ops.yaml): the module
 * type-checks, and run on the cpu backend every node has the shape and dtype
 * the compiler inferred, multi-output nodes output by output, and the loss
 * has a gradient for every variable.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileSpec, type CompileResult } from '../../src/compiler/index.js';
import type { TensorType } from '../../src/compiler/types/tensor.js';
import { Initializer } from '../../src/runtime/init.js';
import type { AnyCompiledModel } from '../../src/runtime/model.js';
import { RandomStream } from '../../src/runtime/random.js';
import { tf } from '../../src/runtime/tf.js';

const BATCH = 8;
const MODULE = resolve('.graphc/test-modules/shape_ops.ts');

let result: CompileResult;

beforeAll(() => {
  result = compileSpec('test/fixtures/shape-ops.yaml');
  expect(result.diagnostics).toEqual([]);
  mkdirSync(resolve('.graphc/test-modules'), { recursive: true });
  writeFileSync(MODULE, result.code!);
});

function expected(type: TensorType): { dtype: string; shape: number[] } {
  return { dtype: type.dtype, shape: type.shape.map((d) => d ?? BATCH) };
}

describe('the shape ops of test/fixtures/shape-ops.yaml', () => {
  it('compile to a module that type-checks', () => {
    const config = ts.readConfigFile('tsconfig.json', (f) => ts.sys.readFile(f));
    const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, resolve('.'));
    const program = ts.createProgram([MODULE], { ...options, noEmit: true });
    const errors = ts.getPreEmitDiagnostics(program).filter((d) => d.file?.fileName === MODULE || !d.file);
    const line = (d: ts.Diagnostic): string => (d.file && d.start !== undefined ? `line ${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: ` : '');
    expect(errors.map((d) => `${line(d)}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`)).toEqual([]);
  }, 120_000);

  it('name each output of a multi-output node in the module: a tuple, and name:i as its entry', () => {
    const code = result.code!;
    expect(code).toContain('halves: [tf.Tensor3D, tf.Tensor3D];');
    expect(code).toContain('const halves = tf.split<tf.Tensor3D>(image, [14, -1], 2) as [tf.Tensor3D, tf.Tensor3D]; // 2 × float32[?, 28, 14]');
    expect(code).toContain('const left = tf.max<tf.Tensor2D>(halves[0], 2);');
    expect(code).toContain('const restacked = tf.stack([rows[0], rows[27]], 1) as tf.Tensor3D;');
  });

  it('run on cpu with every node of its inferred shape and dtype, and a gradient for every variable', async () => {
    await tf.setBackend('cpu');
    const { model } = (await import(pathToFileURL(MODULE).href)) as { model: AnyCompiledModel };
    const graph = result.graph!;
    const init = new Initializer(new RandomStream(1, 'init'));
    const vars = model.createVariables(init);
    const random = new RandomStream(1, 'feeds');
    const feeds = {
      x: tf.tensor2d(Array.from({ length: BATCH * 784 }, () => random.nextFloat()), [BATCH, 784]),
      ids: tf.tensor1d(Array.from({ length: BATCH }, () => random.nextInt(10)), 'int32'),
      y: tf.oneHot(tf.tensor1d(Array.from({ length: BATCH }, () => random.nextInt(10)), 'int32'), 10, 1, 0, 'float32'),
    };
    const context = { random: new RandomStream(1, 'dropout') };
    const nodes = model.forward(vars, feeds, context) as unknown as Record<string, tf.Tensor | tf.Tensor[]>;
    for (const node of graph.nodes) {
      const value = nodes[node.name]!;
      if (node.outputs) {
        expect(Array.isArray(value), node.name).toBe(true);
        const outputs = value as tf.Tensor[];
        expect(outputs.map((t) => ({ dtype: t.dtype, shape: t.shape })), node.name).toEqual(node.outputs.map(expected));
      } else {
        const t = value as tf.Tensor;
        expect({ dtype: t.dtype, shape: t.shape }, node.name).toEqual(expected(node.type));
      }
    }
    const { grads } = tf.variableGrads(() => model.forward(vars, feeds, context)['loss'] as tf.Scalar);
    const variables = init.variables().map((v) => v.variable.name);
    expect(Object.keys(grads).sort()).toEqual([...variables].sort());
    for (const g of Object.values(grads)) expect(g.dataSync().every(Number.isFinite)).toBe(true);
  }, 60_000);
});
