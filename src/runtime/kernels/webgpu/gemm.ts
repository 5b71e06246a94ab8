/**
 * The two reductions the sequence kernels' backward passes end with, over all
 * B·T rows at once: a tiled matrix product and column sums. Their operands are
 * read through small WGSL functions that each kernel supplies, so a product
 * like [x | h_prev]ᵀ · dA reads x and the saved states where they lie, with no
 * concatenated or transposed copy.
 */
import { intUniforms, type ProgramSpec, type UniformValues } from './program.js';

const TILE = 64;
const TILE_INNER = 16;
const SIDE = 16; // invocations per side of the 16×16 workgroup; each computes 4×4 outputs

export interface ProductSpec {
  /** Kernel and product name, plus every size the loaders bake in. */
  readonly key: string;
  readonly inputs: readonly string[];
  /**
   * WGSL defining `fn lhs(row : i32, k : i32) -> f32` and
   * `fn rhs(k : i32, col : i32) -> f32`, called only inside the bounds.
   */
  readonly loaders: string;
  readonly rows: number;
  readonly cols: number;
  readonly inner: number;
  /** Which index of lhs (and of rhs) walks memory contiguously, so neighbouring invocations load neighbouring addresses. */
  readonly lhsContiguous: 'row' | 'k';
  readonly rhsContiguous: 'col' | 'k';
  /** The output's shape; [rows, cols] unless another shape of the same size is wanted. */
  readonly outputShape?: readonly number[];
}

/** out[row, col] = Σ_k lhs(row, k) · rhs(k, col), tiled 64×64 with 16-deep steps through workgroup memory. */
export function productSpec(p: ProductSpec): ProgramSpec {
  const lhsIndex = p.lhsContiguous === 'row' ? `let r = f % ${TILE}; let k = f / ${TILE};` : `let k = f % ${TILE_INNER}; let r = f / ${TILE_INNER};`;
  const rhsIndex = p.rhsContiguous === 'col' ? `let c = f % ${TILE}; let k = f / ${TILE};` : `let k = f % ${TILE_INNER}; let c = f / ${TILE_INNER};`;
  return {
    key: `${p.key}_product_${p.lhsContiguous}_${p.rhsContiguous}`,
    inputs: p.inputs,
    outputShape: p.outputShape ?? [p.rows, p.cols],
    workgroupSize: [SIDE, SIDE, 1],
    dispatch: [Math.ceil(p.cols / TILE), Math.ceil(p.rows / TILE), 1],
    uniforms: 'rows : i32, cols : i32, inner : i32,',
    code: /* wgsl */ `
${p.loaders}
var<workgroup> tileL : array<array<f32, ${TILE_INNER}>, ${TILE}>;
var<workgroup> tileR : array<array<f32, ${TILE}>, ${TILE_INNER}>;
fn main(index : i32) {
  let rows = uniforms.rows;
  let cols = uniforms.cols;
  let inner = uniforms.inner;
  let tx = i32(localId.x);
  let ty = i32(localId.y);
  let lid = i32(localIndex);
  let rowBase = i32(workgroupId.y) * ${TILE};
  let colBase = i32(workgroupId.x) * ${TILE};
  var acc : array<array<f32, 4>, 4>;
  for (var k0 = 0; k0 < inner; k0 += ${TILE_INNER}) {
    for (var e = 0; e < 4; e++) {
      let f = lid + e * ${SIDE * SIDE};
      {
        ${lhsIndex}
        var v = 0.0;
        if (rowBase + r < rows && k0 + k < inner) { v = lhs(rowBase + r, k0 + k); }
        tileL[r][k] = v;
      }
      {
        ${rhsIndex}
        var v = 0.0;
        if (colBase + c < cols && k0 + k < inner) { v = rhs(k0 + k, colBase + c); }
        tileR[k][c] = v;
      }
    }
    workgroupBarrier();
    for (var k = 0; k < ${TILE_INNER}; k++) {
      var a : array<f32, 4>;
      for (var i = 0; i < 4; i++) { a[i] = tileL[ty + ${SIDE} * i][k]; }
      for (var j = 0; j < 4; j++) {
        let b = tileR[k][tx + ${SIDE} * j];
        for (var i = 0; i < 4; i++) { acc[i][j] += a[i] * b; }
      }
    }
    workgroupBarrier();
  }
  for (var i = 0; i < 4; i++) {
    let row = rowBase + ty + ${SIDE} * i;
    for (var j = 0; j < 4; j++) {
      let col = colBase + tx + ${SIDE} * j;
      if (row < rows && col < cols) { result[row * cols + col] = acc[i][j]; }
    }
  }
}
`,
  };
}

export function productUniforms(p: Pick<ProductSpec, 'rows' | 'cols' | 'inner'>): UniformValues {
  return intUniforms(p.rows, p.cols, p.inner);
}

export interface ColumnSumsSpec {
  readonly key: string;
  readonly inputs: readonly string[];
  /** WGSL defining `fn term(k : i32, col : i32) -> f32`. */
  readonly loader: string;
  readonly cols: number;
  readonly inner: number;
}

const SUM_LANES = 4;

/** out[col] = Σ_k term(k, col): 64 columns per workgroup, 4 invocations per column. */
export function columnSumsSpec(p: ColumnSumsSpec): ProgramSpec {
  return {
    key: `${p.key}_column_sums`,
    inputs: p.inputs,
    outputShape: [p.cols],
    workgroupSize: [TILE, SUM_LANES, 1],
    dispatch: [Math.ceil(p.cols / TILE), 1, 1],
    uniforms: 'cols : i32, inner : i32,',
    code: /* wgsl */ `
${p.loader}
var<workgroup> partial : array<array<f32, ${TILE}>, ${SUM_LANES}>;
fn main(index : i32) {
  let lane = i32(localId.y);
  let x = i32(localId.x);
  let col = i32(workgroupId.x) * ${TILE} + x;
  var sum = 0.0;
  if (col < uniforms.cols) {
    for (var k = lane; k < uniforms.inner; k += ${SUM_LANES}) { sum += term(k, col); }
  }
  partial[lane][x] = sum;
  workgroupBarrier();
  if (lane == 0 && col < uniforms.cols) {
    var total = 0.0;
    for (var l = 0; l < ${SUM_LANES}; l++) { total += partial[l][x]; }
    result[col] = total;
  }
}
`,
  };
}

export function columnSumsUniforms(p: Pick<ColumnSumsSpec, 'cols' | 'inner'>): UniformValues {
  return intUniforms(p.cols, p.inner);
}
