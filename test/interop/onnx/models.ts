/**
 * Small ONNX models built here with the protobuf layer, for the tests that
 * need no PyTorch: a seeded MNIST MLP (Gemm → Relu → Gemm) and single nodes.
 */
import { AttributeType, DataType, encodeModel, floatTensor, type OnnxModel, type OnnxNode, type OnnxTensor, type OnnxValueInfo } from '../../../src/interop/onnx/proto.js';
import { RandomStream } from '../../../src/runtime/random.js';

export function floatInput(name: string, dims: readonly (number | string)[]): OnnxValueInfo {
  return { name, type: { elemType: DataType.FLOAT, shape: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } };
}

export function node(opType: string, input: string[], output: string[], attribute: OnnxNode['attribute'] = [], name = output[0]!): OnnxNode {
  return { name, opType, domain: '', input, output, attribute };
}

export function model(nodes: OnnxNode[], initializer: OnnxTensor[], input: OnnxValueInfo[], output: OnnxValueInfo[], opset = 13, valueInfo: OnnxValueInfo[] = []): OnnxModel {
  return { irVersion: 7, opsetImport: [{ domain: '', version: opset }], producerName: 'graphc-test', graph: { name: 'test', node: nodes, initializer, input, output, valueInfo } };
}

function uniform(random: RandomStream, n: number, scale: number): Float32Array {
  return Float32Array.from({ length: n }, () => (random.nextFloat() * 2 - 1) * scale);
}

/** A 784 → hidden → 10 MLP as PyTorch's exporter writes one (Gemm with transB), seeded weights. */
export function mnistMlp(hidden = 16, seed = 1): Uint8Array {
  const random = new RandomStream(seed, 'weights');
  const transB = { name: 'transB', type: AttributeType.INT, i: 1 };
  return encodeModel(
    model(
      [node('Gemm', ['x', 'fc1.weight', 'fc1.bias'], ['h'], [transB], '/fc1/Gemm'), node('Relu', ['h'], ['a'], [], '/Relu'), node('Gemm', ['a', 'fc2.weight', 'fc2.bias'], ['logits'], [transB], '/fc2/Gemm')],
      [
        floatTensor('fc1.weight', [hidden, 784], uniform(random, hidden * 784, 1 / 28)),
        floatTensor('fc1.bias', [hidden], uniform(random, hidden, 0.1)),
        floatTensor('fc2.weight', [10, hidden], uniform(random, 10 * hidden, 1 / Math.sqrt(hidden))),
        floatTensor('fc2.bias', [10], uniform(random, 10, 0.1)),
      ],
      [floatInput('x', ['batch', 784])],
      [floatInput('logits', ['batch', 10])],
    ),
  );
}
