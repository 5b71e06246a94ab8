/**
 * The recurrent kernels' Device on the cpu backend: tensors are JavaScript
 * Float32Arrays, the GEMM is a plain cache-friendly loop (accumulating in
 * float64, as the backend's own matmul does).
 */
import type { tf } from '../../tf.js';
import type { KernelDevice, Mat } from '../recurrent/matrix.js';

/** The part of tfjs's cpu backend the kernels use. */
interface CpuBackend {
  readSync(dataId: tf.DataId): unknown;
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: Float32Array): tf.TensorInfo;
}

class CpuMat implements Mat {
  constructor(
    readonly data: Float32Array,
    readonly start: number,
    readonly rows: number,
    readonly cols: number,
  ) {}
}

export class CpuDevice implements KernelDevice<CpuMat> {
  private readonly backend: CpuBackend;

  constructor(backend: unknown) {
    this.backend = backend as CpuBackend;
  }

  input(t: tf.TensorInfo, rows: number, cols: number): CpuMat {
    const values = this.backend.readSync(t.dataId);
    if (!(values instanceof Float32Array)) throw new Error(`expected a float32 tensor, got ${t.dtype}`);
    return new CpuMat(values, 0, rows, cols);
  }

  output(shape: readonly number[], rows: number, cols: number): [tf.TensorInfo, CpuMat] {
    const values = new Float32Array(rows * cols);
    return [this.backend.makeTensorInfo([...shape], 'float32', values), new CpuMat(values, 0, rows, cols)];
  }

  release(): void {
    // Scratch and outputs are garbage-collected arrays; a failed call's outputs were never registered as tensors.
  }

  scratch(rows: number, cols: number): CpuMat {
    return new CpuMat(new Float32Array(rows * cols), 0, rows, cols);
  }

  part(m: CpuMat, offset: number, rows: number, cols: number): CpuMat {
    return new CpuMat(m.data, m.start + offset, rows, cols);
  }

  matmul(a: CpuMat, b: CpuMat, out: CpuMat, bias?: CpuMat): void {
    const { rows: m, cols: k } = a;
    const n = b.cols;
    const row = new Float64Array(n);
    const [ad, bd, od] = [a.data, b.data, out.data];
    for (let i = 0; i < m; i++) {
      if (bias) for (let j = 0; j < n; j++) row[j] = bias.data[bias.start + j]!;
      else row.fill(0);
      for (let p = 0; p < k; p++) {
        const aip = ad[a.start + i * k + p]!;
        if (aip === 0) continue;
        const bRow = b.start + p * n;
        for (let j = 0; j < n; j++) row[j]! += aip * bd[bRow + j]!;
      }
      const o = out.start + i * n;
      for (let j = 0; j < n; j++) od[o + j] = row[j]!;
    }
  }

  add(a: CpuMat, b: CpuMat, out: CpuMat): void {
    const size = a.rows * a.cols;
    const [ad, bd, od] = [a.data, b.data, out.data];
    for (let i = 0; i < size; i++) od[out.start + i] = ad[a.start + i]! + bd[b.start + i]!;
  }

  sigmoid(x: CpuMat, out: CpuMat): void {
    const size = x.rows * x.cols;
    const [xd, od] = [x.data, out.data];
    for (let i = 0; i < size; i++) od[out.start + i] = 1 / (1 + Math.exp(-xd[x.start + i]!));
  }
}
