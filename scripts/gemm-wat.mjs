#!/usr/bin/env node
// Writes src/runtime/kernels/wasm/simd/gemm.wat (and gemm.variants.ts, its
// variants' list for TypeScript): graphc's f32 GEMM for the wasm backend,
// C = A·B (+ bias, or + C), with relaxed SIMD's fused multiply-add, in
// several variants (VARIANTS below) that a planner times on the machine. The
// micro-kernels are unrolled (one per row count and packing), so the .wat is
// generated rather than written by hand; `--check` fails if the committed
// files are not what this script writes. scripts/build-wasm.mjs then
// assembles the .wat like elementwise.wat.
//
// Design (after the GotoBLAS/XNNPACK scheme): B is packed once into panels of
// NR = 8 columns (k rows of 8 floats, the last panel zero-padded), which
// packB does from any row and column strides (so Bᵀ costs nothing extra). A
// GEMM walks K in blocks of kc rows and M in blocks of mc rows, so that the
// block of A stays in L2 and one kc × 8 panel of B in L1 while a rows × 8
// tile of C lives in 2·rows vector registers. A is read in place (row stride
// lda, unit column stride) with load-and-splat, or packed per block first.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Columns of the register tile: two 4-lane vectors (and of a packed panel of B, shared by every variant). */
export const NR = 8;

/**
 * The variants, all generated from the templates below and all computing the
 * same sums in the same order (k ascending, one fused multiply-add per term),
 * so they give bit-identical results and differ only in speed; the planner
 * (src/runtime/kernels/wasm/simd/gemm_plan.ts) times them on the machine.
 * - rows: rows of the register tile (MR), 2·rows accumulators. V8 leaves 15
 *   vector registers to wasm code and its scheduler loads all the A splats
 *   before the multiply-adds, so 2·rows + 2 + rows ≤ 15 avoids spills at
 *   rows ≤ 4; more rows spill but read each B vector for more rows.
 * - kc: rows of B (and columns of A) per pass, so one packed panel
 *   (kc · NR · 4 bytes) stays in L1.
 * - mc: rows of A per block, so the A block (mc · kc · 4 bytes) stays in L2.
 * - packA: copies each mc × kc block of A into tiles of `rows` interleaved
 *   rows, so the micro-kernel reads A from one pointer at constant offsets.
 * - order: 'panels' walks B's panels outside and A's row tiles inside (one
 *   panel of B stays in L1 over the whole A block); 'tiles' the other way
 *   round (a tile of A stays in L1 over every panel).
 */
export const VARIANTS = [
  { name: 'r4-k256-m96', rows: 4, kc: 256, mc: 96, packA: false, order: 'panels' },
  { name: 'r2-k256-m96', rows: 2, kc: 256, mc: 96, packA: false, order: 'panels' },
  { name: 'r3-k256-m96', rows: 3, kc: 256, mc: 96, packA: false, order: 'panels' },
  { name: 'r4-k128-m48', rows: 4, kc: 128, mc: 48, packA: false, order: 'panels' },
  { name: 'r4-k512-m192', rows: 4, kc: 512, mc: 192, packA: false, order: 'panels' },
  { name: 'r4-k256-m96-tiles', rows: 4, kc: 256, mc: 96, packA: false, order: 'tiles' },
  { name: 'r4-k256-m96-packA', rows: 4, kc: 256, mc: 96, packA: true, order: 'panels' },
  { name: 'r6-k256-m96-packA', rows: 6, kc: 256, mc: 96, packA: true, order: 'panels' },
];
/** The variant used until the planner has timed a shape class (the hand-picked one of before). */
export const DEFAULT_VARIANT = VARIANTS[0].name;
/** Most rows of any variant's tile: the partial-tile scratch holds MAX_ROWS × NR floats. */
export const MAX_ROWS = Math.max(...VARIANTS.map((v) => v.rows));
/** Floats of scratch a call needs: the partial tile, then (packA variants) the packed A block. */
export const SCRATCH_FLOATS = MAX_ROWS * NR + Math.max(...VARIANTS.map((v) => (v.packA ? Math.ceil(v.mc / v.rows) * v.rows * v.kc : 0)));

const target = fileURLToPath(new URL('../src/runtime/kernels/wasm/simd/gemm.wat', import.meta.url));

const range = (n) => Array.from({ length: n }, (_, i) => i);
const get = (name) => `(local.get $${name})`;

/**
 * The micro-kernel for `rows` rows: C[rows × 8] (= zero, bias, or C) + A[rows × kc] · Bpanel[kc × 8].
 * A is read in place (row stride lda) or, with `stride`, from a packed tile
 * of `stride` interleaved rows (lda unused). init: 0 zero, 1 load C, 2 load
 * the (padded) bias row.
 */
function microKernel(rows, stride) {
  const accs = range(rows).flatMap((r) => [`c${r}0`, `c${r}1`]);
  const lines = [];
  const w = (s, depth = 2) => lines.push('  '.repeat(depth) + s);
  w(`(func ${tileName(rows, stride)}`);
  w(`(param $a i32) (param $lda i32) (param $b i32) (param $c i32) (param $ldc i32) (param $kc i32) (param $init i32) (param $bias i32)`, 3);
  const aLocals = stride ? '' : ` ${range(rows).map((r) => `(local $a${r} i32)`).join(' ')}`;
  w(`(local $k i32) (local $ko i32)${aLocals} (local $b0 v128) (local $b1 v128) (local $s v128)`, 3);
  w(`${accs.map((a) => `(local $${a} v128)`).join(' ')}`, 3);
  if (!stride) {
    w(`(local.set $a0 ${get('a')})`, 3);
    for (const r of range(rows).slice(1)) w(`(local.set $a${r} (i32.add ${get(`a${r - 1}`)} ${get('lda')}))`, 3);
  }
  // Initial tile.
  w(`(if (i32.eq ${get('init')} (i32.const 1))`, 3);
  w(`(then`, 4);
  for (const r of range(rows)) {
    const row = r === 0 ? get('c') : `(i32.add ${get('c')} (i32.mul ${get('ldc')} (i32.const ${r})))`;
    w(`(local.set $c${r}0 (v128.load ${row}))`, 5);
    w(`(local.set $c${r}1 (v128.load offset=16 ${row}))`, 5);
  }
  w(`)`, 4);
  w(`(else (if (i32.eq ${get('init')} (i32.const 2))`, 4);
  w(`(then`, 5);
  w(`(local.set $b0 (v128.load ${get('bias')}))`, 6);
  w(`(local.set $b1 (v128.load offset=16 ${get('bias')}))`, 6);
  for (const r of range(rows)) w(`(local.set $c${r}0 ${get('b0')}) (local.set $c${r}1 ${get('b1')})`, 6);
  w(`))))`, 5);
  // One k step per iteration. Unrolling looks cheaper (constant load offsets)
  // but V8's TurboFan then hoists every load of the unrolled body ahead of the
  // multiply-adds and spills the accumulators: half the speed (measured).
  w(`(local.set $k ${get('kc')})`, 3);
  w(`(loop $step`, 3);
  w(`(local.set $b0 (v128.load ${get('b')}))`, 4);
  w(`(local.set $b1 (v128.load offset=16 ${get('b')}))`, 4);
  for (const r of range(rows)) {
    const splat = stride ? `(v128.load32_splat offset=${r * 4} ${get('a')})` : `(v128.load32_splat (i32.add ${get(`a${r}`)} ${get('ko')}))`;
    w(`(local.set $s ${splat})`, 4);
    w(`(local.set $c${r}0 (f32x4.relaxed_madd ${get('s')} ${get('b0')} ${get(`c${r}0`)}))`, 4);
    w(`(local.set $c${r}1 (f32x4.relaxed_madd ${get('s')} ${get('b1')} ${get(`c${r}1`)}))`, 4);
  }
  if (stride) w(`(local.set $a (i32.add ${get('a')} (i32.const ${stride * 4})))`, 4);
  else w(`(local.set $ko (i32.add ${get('ko')} (i32.const 4)))`, 4);
  w(`(local.set $b (i32.add ${get('b')} (i32.const ${NR * 4})))`, 4);
  w(`(br_if $step (local.tee $k (i32.sub ${get('k')} (i32.const 1)))))`, 4);
  for (const r of range(rows)) {
    const row = r === 0 ? get('c') : `(i32.add ${get('c')} (i32.mul ${get('ldc')} (i32.const ${r})))`;
    w(`(v128.store ${row} ${get(`c${r}0`)})`, 3);
    w(`(v128.store offset=16 ${row} ${get(`c${r}1`)})`, 3);
  }
  w(`)`, 2);
  return lines.join('\n');
}

/** The micro-kernel's name: $tile<rows> reads A in place, $tile<rows>p<stride> from packed tiles. */
const tileName = (rows, stride) => `$tile${rows}${stride ? `p${stride}` : ''}`;

/** Calls the micro-kernel for rows = 1…variant.rows chosen at run time. */
function dispatch(variant, args, depth) {
  const stride = variant.packA ? variant.rows : undefined;
  const pad = '  '.repeat(depth);
  let text = `${pad}(call ${tileName(1, stride)} ${args})`;
  for (const rows of range(variant.rows).slice(1).map((r) => r + 1)) {
    text = `${pad}(if (i32.ge_u (local.get $rows) (i32.const ${rows}))\n${pad}  (then (call ${tileName(rows, stride)} ${args}))\n${pad}  (else\n${text.replace(/^/gm, '    ')}))`;
  }
  return text;
}

/** Indents every line of text by depth steps. */
const indent = (text, depth) => text.replace(/^/gm, '  '.repeat(depth));

/** The exported GEMM of one variant (see VARIANTS). */
function gemmFunction(v) {
  const tileBytes = MAX_ROWS * NR * 4;
  // A's tile for rows i…: in place, or in the packed block (tile (i − i0) / rows, kc · rows floats each).
  const aTile = v.packA
    ? `(i32.add (i32.add (local.get $scratch) (i32.const ${tileBytes})) (i32.shl (i32.mul (i32.sub (local.get $i) (local.get $i0)) (local.get $kc)) (i32.const 2)))`
    : `(i32.add (local.get $a) (i32.add (i32.mul (local.get $i) (local.get $lda)) (i32.shl (local.get $k0) (i32.const 2))))`;
  const panelSetup = `(local.set $cols (select (i32.sub (local.get $n) (local.get $j0)) (i32.const ${NR})
  (i32.lt_u (i32.sub (local.get $n) (local.get $j0)) (i32.const ${NR}))))
;; This panel's K block: panels are k rows of ${NR * 4} bytes.
(local.set $panel (i32.add (local.get $packed)
  (i32.shl (i32.add (i32.mul (local.get $j0) (local.get $k)) (i32.mul (local.get $k0) (i32.const ${NR}))) (i32.const 2))))
(local.set $biasPanel (i32.add (local.get $bias) (i32.shl (local.get $j0) (i32.const 2))))`;
  const tileSetup = `(local.set $rows (select (i32.sub (i32.add (local.get $i0) (local.get $mc)) (local.get $i)) (i32.const ${v.rows})
  (i32.lt_u (i32.sub (i32.add (local.get $i0) (local.get $mc)) (local.get $i)) (i32.const ${v.rows}))))
(local.set $aBlock ${aTile})`;
  const body = `(local.set $cTile (i32.add (local.get $c)
  (i32.add (i32.mul (local.get $i) (local.get $ldc)) (i32.shl (local.get $j0) (i32.const 2)))))
(if (i32.eq (local.get $cols) (i32.const ${NR}))
  (then
${dispatch(v, '(local.get $aBlock) (local.get $lda) (local.get $panel) (local.get $cTile) (local.get $ldc) (local.get $kc) (local.get $init) (local.get $biasPanel)', 2)})
  (else
    (if (i32.eq (local.get $init) (i32.const 1))
      (then (call $copyTile (local.get $cTile) (local.get $ldc) (local.get $scratch) (i32.const ${NR * 4}) (local.get $rows) (local.get $cols))))
${dispatch(v, `(local.get $aBlock) (local.get $lda) (local.get $panel) (local.get $scratch) (i32.const ${NR * 4}) (local.get $kc) (local.get $init) (local.get $biasPanel)`, 2)}
    (call $copyTile (local.get $scratch) (i32.const ${NR * 4}) (local.get $cTile) (local.get $ldc) (local.get $rows) (local.get $cols))))`;
  const nextTile = `(br_if $mTile (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const ${v.rows}))) (i32.add (local.get $i0) (local.get $mc))))`;
  const nextPanel = `(br_if $nPanel (i32.lt_u (local.tee $j0 (i32.add (local.get $j0) (i32.const ${NR}))) (local.get $n)))`;
  const loops =
    v.order === 'panels'
      ? `(local.set $j0 (i32.const 0))
(loop $nPanel
${indent(panelSetup, 1)}
  (local.set $i (local.get $i0))
  (loop $mTile
${indent(tileSetup, 2)}
${indent(body, 2)}
    ${nextTile})
  ${nextPanel})`
      : `(local.set $i (local.get $i0))
(loop $mTile
${indent(tileSetup, 1)}
  (local.set $j0 (i32.const 0))
  (loop $nPanel
${indent(panelSetup, 2)}
${indent(body, 2)}
    ${nextPanel})
  ${nextTile})`;
  const pack = v.packA
    ? `\n        (call $packA (i32.add (local.get $a) (i32.add (i32.mul (local.get $i0) (local.get $lda)) (i32.shl (local.get $k0) (i32.const 2))))
          (local.get $lda) (local.get $mc) (local.get $kc) (i32.const ${v.rows}) (i32.add (local.get $scratch) (i32.const ${tileBytes})))`
    : '';
  return `  ;; ${v.name}: a ${v.rows}×${NR} register tile over blocks of ${v.kc} (K) and ${v.mc} (M), ${v.packA ? `A packed into tiles of ${v.rows} rows` : 'A read in place'}, ${v.order === 'panels' ? "B's panels outside, A's tiles inside" : "A's tiles outside, B's panels inside"}.
  (func (export "gemm_${v.name}")
    (param $a i32) (param $lda i32) (param $packed i32) (param $c i32) (param $ldc i32)
    (param $m i32) (param $n i32) (param $k i32) (param $bias i32) (param $accumulate i32) (param $scratch i32)
    (local $k0 i32) (local $kc i32) (local $i0 i32) (local $mc i32) (local $j0 i32) (local $cols i32) (local $i i32)
    (local $rows i32) (local $init i32) (local $aBlock i32) (local $panel i32) (local $biasPanel i32) (local $cTile i32)
    (loop $kBlock
      (local.set $kc (select (i32.sub (local.get $k) (local.get $k0)) (i32.const ${v.kc})
        (i32.lt_u (i32.sub (local.get $k) (local.get $k0)) (i32.const ${v.kc}))))
      (local.set $init
        (if (result i32) (i32.or (local.get $k0) (local.get $accumulate))
          (then (i32.const 1))
          (else (select (i32.const 2) (i32.const 0) (local.get $bias)))))
      (local.set $i0 (i32.const 0))
      (loop $mBlock
        (local.set $mc (select (i32.sub (local.get $m) (local.get $i0)) (i32.const ${v.mc})
          (i32.lt_u (i32.sub (local.get $m) (local.get $i0)) (i32.const ${v.mc}))))${pack}
${indent(loops, 4)}
        (br_if $mBlock (i32.lt_u (local.tee $i0 (i32.add (local.get $i0) (local.get $mc))) (local.get $m))))
      (br_if $kBlock (i32.lt_u (local.tee $k0 (i32.add (local.get $k0) (local.get $kc))) (local.get $k)))))`;
}

export function gemmWat() {
  const inPlaceRows = Math.max(0, ...VARIANTS.filter((v) => !v.packA).map((v) => v.rows));
  const strides = [...new Set(VARIANTS.filter((v) => v.packA).map((v) => v.rows))];
  const kernels = [
    ...range(inPlaceRows).map((r) => microKernel(r + 1)),
    ...strides.flatMap((stride) => range(stride).map((r) => microKernel(r + 1, stride))),
  ];
  return `;; Generated by scripts/gemm-wat.mjs: do not edit (change the script and run it).
;; graphc's f32 GEMM for the wasm backend, on tfjs-wasm's own memory, with
;; relaxed SIMD's fused multiply-add (f32x4.relaxed_madd): packB packs B into
;; panels of ${NR} columns; each gemm_<variant> computes C = A·B (+ bias, or + C)
;; with its own register tile, blocking, packing of A and loop order (the
;; variants: ${VARIANTS.map((v) => v.name).join(', ')}), all with the
;; same sums in the same order. Pointers and strides are in bytes.
;; Build: node scripts/gemm-wat.mjs && node scripts/build-wasm.mjs.
(module
  (import "env" "memory" (memory 1))

  ;; Packs B (k × n; element (i, j) at src + i·rowStride + j·colStride) into
  ;; ceil(n / ${NR}) panels of k rows × ${NR} floats at dst, zero-padding the last.
  (func (export "packB")
    (param $src i32) (param $rowStride i32) (param $colStride i32) (param $k i32) (param $n i32) (param $dst i32)
    (local $j0 i32) (local $cols i32) (local $i i32) (local $j i32) (local $from i32)
    (loop $panel
      (local.set $cols (select (i32.sub (local.get $n) (local.get $j0)) (i32.const ${NR})
        (i32.lt_u (i32.sub (local.get $n) (local.get $j0)) (i32.const ${NR}))))
      (local.set $i (i32.const 0))
      (loop $row
        (local.set $from (i32.add (local.get $src)
          (i32.add (i32.mul (local.get $i) (local.get $rowStride)) (i32.mul (local.get $j0) (local.get $colStride)))))
        (if (i32.and (i32.eq (local.get $cols) (i32.const ${NR})) (i32.eq (local.get $colStride) (i32.const 4)))
          (then
            (v128.store (local.get $dst) (v128.load (local.get $from)))
            (v128.store offset=16 (local.get $dst) (v128.load offset=16 (local.get $from))))
          (else
            (v128.store (local.get $dst) (v128.const i32x4 0 0 0 0))
            (v128.store offset=16 (local.get $dst) (v128.const i32x4 0 0 0 0))
            (local.set $j (i32.const 0))
            (loop $col
              (f32.store (i32.add (local.get $dst) (i32.shl (local.get $j) (i32.const 2)))
                (f32.load (i32.add (local.get $from) (i32.mul (local.get $j) (local.get $colStride)))))
              (br_if $col (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1))) (local.get $cols))))))
        (local.set $dst (i32.add (local.get $dst) (i32.const ${NR * 4})))
        (br_if $row (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $k))))
      (br_if $panel (i32.lt_u (local.tee $j0 (i32.add (local.get $j0) (i32.const ${NR}))) (local.get $n)))))

  ;; Packs an mc × kc block of A (row stride lda) into tiles of r interleaved
  ;; rows at dst: row i, column k goes to float (i / r)·kc·r + k·r + i mod r.
  ;; The rows past mc in the last tile are left as they are (never read).
  (func $packA (param $src i32) (param $lda i32) (param $mc i32) (param $kc i32) (param $r i32) (param $dst i32)
    (local $i i32) (local $k i32) (local $from i32) (local $to i32)
    (loop $row
      (local.set $from (i32.add (local.get $src) (i32.mul (local.get $i) (local.get $lda))))
      (local.set $to (i32.add (local.get $dst) (i32.shl
        (i32.add (i32.mul (i32.div_u (local.get $i) (local.get $r)) (i32.mul (local.get $kc) (local.get $r))) (i32.rem_u (local.get $i) (local.get $r)))
        (i32.const 2))))
      (local.set $k (local.get $kc))
      (loop $col
        (f32.store (local.get $to) (f32.load (local.get $from)))
        (local.set $from (i32.add (local.get $from) (i32.const 4)))
        (local.set $to (i32.add (local.get $to) (i32.shl (local.get $r) (i32.const 2))))
        (br_if $col (local.tee $k (i32.sub (local.get $k) (i32.const 1)))))
      (br_if $row (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $mc)))))

${kernels.join('\n\n')}

  ;; Copies rows × cols floats between a C block (stride ldc) and a tile (stride ${NR * 4}).
  (func $copyTile (param $from i32) (param $fromStride i32) (param $to i32) (param $toStride i32) (param $rows i32) (param $cols i32)
    (local $j i32)
    (loop $row
      (local.set $j (i32.const 0))
      (loop $col
        (f32.store (i32.add (local.get $to) (local.get $j)) (f32.load (i32.add (local.get $from) (local.get $j))))
        (br_if $col (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 4))) (i32.shl (local.get $cols) (i32.const 2)))))
      (local.set $from (i32.add (local.get $from) (local.get $fromStride)))
      (local.set $to (i32.add (local.get $to) (local.get $toStride)))
      (br_if $row (local.tee $rows (i32.sub (local.get $rows) (i32.const 1))))))

  ;; Every gemm_<variant>: C (m × n, row stride ldc) = A (m × k, row stride lda)
  ;; · B (packed by packB) + C if accumulate, else + the bias row at bias
  ;; (padded to whole panels) if bias ≠ 0, else + 0. scratch: ${SCRATCH_FLOATS} floats
  ;; (a partial tile of C, then the packed block of A). m, n, k > 0.
${VARIANTS.map(gemmFunction).join('\n\n')}
)
`;
}

/** The variants' TypeScript description (simd/gemm.variants.ts), written beside the .wat. */
export function variantsTs() {
  const list = VARIANTS.map((v) => `  { name: '${v.name}', rows: ${v.rows}, kc: ${v.kc}, mc: ${v.mc}, packA: ${v.packA}, order: '${v.order}' },`);
  return `// Generated by scripts/gemm-wat.mjs with gemm.wat: do not edit.
/** One GEMM variant of gemm.wat (exported as gemm_<name>); see VARIANTS in scripts/gemm-wat.mjs. */
export interface GemmVariant {
  readonly name: string;
  /** Rows of the register tile (of ${NR} columns). */
  readonly rows: number;
  /** Rows of K and of M per block. */
  readonly kc: number;
  readonly mc: number;
  /** Whether each block of A is packed into interleaved tiles first. */
  readonly packA: boolean;
  /** 'panels': B's panels outside, A's row tiles inside; 'tiles': the other way round. */
  readonly order: 'panels' | 'tiles';
}

export const GEMM_VARIANTS: readonly GemmVariant[] = [
${list.join('\n')}
];

/** The variant used until the planner has timed a shape class. */
export const DEFAULT_GEMM_VARIANT = '${DEFAULT_VARIANT}';

/** Floats of scratch each call needs (a partial tile of C, then a packed block of A). */
export const GEMM_SCRATCH_FLOATS = ${SCRATCH_FLOATS};
`;
}

const variantsTarget = fileURLToPath(new URL('../src/runtime/kernels/wasm/simd/gemm.variants.ts', import.meta.url));

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [file, text] of [[target, gemmWat()], [variantsTarget, variantsTs()]]) {
    if (process.argv.includes('--check')) {
      if (readFileSync(file, 'utf8') !== text) {
        console.error(`${file} is stale: run node scripts/gemm-wat.mjs`);
        process.exit(1);
      }
    } else {
      writeFileSync(file, text);
      console.log(`wrote ${file}`);
    }
  }
}
