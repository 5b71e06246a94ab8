/**
 * The ONNX protobuf layer: a model built here survives encode → decode field
 * for field, tensor values read back exactly, and bytes that are not a model
 * are GC800 with protobuf's reason (never a parser exception).
 */
import { describe, expect, it } from 'vitest';
import { GraphcError } from '../../../src/common/diagnostics/diagnostic.js';
import {
  AttributeType,
  DataType,
  decodeModel,
  encodeModel,
  floatTensor,
  int64Tensor,
  tensorFloats,
  tensorIntegers,
  type OnnxModel,
} from '../../../src/interop/onnx/proto.js';

function tinyModel(): OnnxModel {
  return {
    irVersion: 8,
    opsetImport: [{ domain: '', version: 13 }],
    producerName: 'graphc-test',
    graph: {
      name: 'tiny',
      node: [
        {
          name: 'fc',
          opType: 'Gemm',
          domain: '',
          input: ['x', 'w', 'b'],
          output: ['y'],
          attribute: [
            { name: 'transB', type: AttributeType.INT, i: 1 },
            { name: 'alpha', type: AttributeType.FLOAT, f: 0.5 },
          ],
        },
        { name: 'shape', opType: 'Reshape', domain: '', input: ['y', 'to'], output: ['z'], attribute: [] },
      ],
      initializer: [floatTensor('w', [2, 3], Float32Array.from([1, -2, 3.5, 0.25, 5, -6])), floatTensor('b', [2], Float32Array.from([0.1, 0.2])), int64Tensor('to', [2], [-1, 2])],
      input: [{ name: 'x', type: { elemType: DataType.FLOAT, shape: [{ dimParam: 'batch' }, { dimValue: 3 }] } }],
      output: [{ name: 'z', type: { elemType: DataType.FLOAT, shape: [{ dimParam: 'batch' }, { dimValue: 2 }] } }],
      valueInfo: [],
    },
  };
}

function gc800(bytes: Uint8Array): string {
  try {
    decodeModel(bytes, 'model.onnx');
  } catch (error) {
    expect(error).toBeInstanceOf(GraphcError);
    const [d] = (error as GraphcError).diagnostics;
    expect(d?.code).toBe('GC800');
    return d!.message;
  }
  throw new Error('decoded');
}

describe('the ONNX protobuf layer', () => {
  it('round-trips a model: nodes, attributes, initializers and value infos', () => {
    const model = tinyModel();
    const back = decodeModel(encodeModel(model), 'model.onnx');
    expect(back.irVersion).toBe(8);
    expect(back.opsetImport).toEqual([{ domain: '', version: 13 }]);
    expect(back.producerName).toBe('graphc-test');
    expect(back.graph.node.map((n) => [n.name, n.opType, n.input, n.output])).toEqual(model.graph.node.map((n) => [n.name, n.opType, n.input, n.output]));
    const [transB, alpha] = back.graph.node[0]!.attribute;
    expect(transB).toMatchObject({ name: 'transB', type: AttributeType.INT, i: 1 });
    expect(alpha).toMatchObject({ name: 'alpha', type: AttributeType.FLOAT, f: 0.5 });
    expect(back.graph.input[0]!.type).toEqual({ elemType: DataType.FLOAT, shape: [{ dimParam: 'batch', dimValue: undefined }, { dimValue: 3, dimParam: undefined }] });
    const [w, b, to] = back.graph.initializer;
    expect(w!.dims).toEqual([2, 3]);
    expect([...tensorFloats(w!)!]).toEqual([1, -2, 3.5, 0.25, 5, -6]);
    expect([...tensorFloats(b!)!]).toEqual([Math.fround(0.1), Math.fround(0.2)]);
    expect(tensorIntegers(to!)).toEqual([-1, 2]);
  });

  it('reads tensors kept in the typed fields as well as raw', () => {
    const model = tinyModel();
    const typed: OnnxModel = {
      ...model,
      graph: { ...model.graph, initializer: [{ name: 'f', dims: [2], dataType: DataType.FLOAT, floatData: [1.5, -2] }, { name: 'i', dims: [3], dataType: DataType.INT64, int64Data: [7, -1, 9_000_000_000] }] },
    };
    const [f, i] = decodeModel(encodeModel(typed), 'model.onnx').graph.initializer;
    expect([...tensorFloats(f!)!]).toEqual([1.5, -2]);
    expect(tensorIntegers(i!)).toEqual([7, -1, 9_000_000_000]);
  });

  it('refuses empty, truncated and garbage bytes with GC800', () => {
    const bytes = encodeModel(tinyModel());
    expect(gc800(new Uint8Array(0))).toContain('empty');
    expect(gc800(bytes.subarray(0, bytes.length - 7))).toMatch(/not a protobuf ModelProto.*index out of range/);
    expect(gc800(new TextEncoder().encode('this is not an onnx model'))).toMatch(/not a protobuf ModelProto/);
  });

  it('refuses a file over the size limit before parsing it', () => {
    expect(() => decodeModel(encodeModel(tinyModel()), 'model.onnx', { maxBytes: 16 })).toThrow(/GC800: model.onnx: .* more than the 16 B graphc reads/);
  });

  it('refuses raw data that does not fit its dims, and a model without a graph', () => {
    const model = tinyModel();
    const short = { ...model, graph: { ...model.graph, initializer: [{ name: 'w', dims: [4], dataType: DataType.FLOAT, rawData: new Uint8Array(12) }] } };
    expect(gc800(encodeModel(short))).toContain("tensor 'w' holds more or fewer bytes than its dims and data type need");
    // ModelProto { ir_version: 8 } and nothing else: field 1, varint.
    expect(gc800(Uint8Array.from([0x08, 0x08]))).toContain('holds no graph');
  });
});
