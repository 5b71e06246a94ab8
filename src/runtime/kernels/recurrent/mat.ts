/** The one data type of the whole-sequence kernels' math (see matrix.ts for what operates on it). */

/** A rows × cols row-major float32 matrix: elements data[start … start + rows·cols). */
export interface Mat {
  /** The memory the matrix lives in; read it afresh after any Device call (wasm memory can grow and move). */
  readonly data: Float32Array;
  readonly start: number;
  readonly rows: number;
  readonly cols: number;
}
