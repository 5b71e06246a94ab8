#!/usr/bin/env node
// Writes src/runtime/kernels/wasm/simd/gemm.wat: graphc's f32 GEMM for the
// wasm backend, C = A·B (+ bias, or + C), with relaxed SIMD's fused
// multiply-add. The micro-kernels are unrolled (one per row count 1…MR), so
// the .wat is generated rather than written by hand; `--check` fails if the
// committed .wat is not what this script writes. scripts/build-wasm.mjs then
// assembles it like elementwise.wat.
//
// Design (after the GotoBLAS/XNNPACK scheme): B is packed once into panels of
// NR = 8 columns (k rows of 8 floats, the last panel zero-padded), which
// packB does from any row and column strides (so Bᵀ costs nothing extra). The
// GEMM walks K in blocks of KC rows and M in blocks of MC rows, so that the
// block of A stays in L2 and one KC × 8 panel of B (8 KiB) in L1 while an
// MR × 8 tile of C lives in 2·MR vector registers. A is read in place (row
// stride lda, unit column stride) with load-and-splat.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Rows of the register tile. V8 leaves 15 vector registers to wasm code and
 * its scheduler loads all MR A splats before the multiply-adds, so 2·MR
 * accumulators + 2 B vectors + MR splats must fit in 15: MR = 4 (6 spills,
 * measured slower).
 */
export const MR = 4;
/** Columns of the register tile: two 4-lane vectors. */
export const NR = 8;
/** Rows of B (and columns of A) per pass, so one packed panel (KC · NR · 4 bytes) stays in L1. */
export const KC = 256;
/** Rows of A per block, so the A block (MC · KC · 4 bytes) stays in L2. */
export const MC = 96;

const target = fileURLToPath(new URL('../src/runtime/kernels/wasm/simd/gemm.wat', import.meta.url));

const range = (n) => Array.from({ length: n }, (_, i) => i);
const get = (name) => `(local.get $${name})`;

/**
 * The micro-kernel for `rows` rows: C[rows × 8] (= zero, bias, or C) + A[rows × kc] · Bpanel[kc × 8].
 * init: 0 zero, 1 load C, 2 load the (padded) bias row.
 */
function microKernel(rows) {
  const accs = range(rows).flatMap((r) => [`c${r}0`, `c${r}1`]);
  const lines = [];
  const w = (s, depth = 2) => lines.push('  '.repeat(depth) + s);
  w(`(func $tile${rows}`);
  w(`(param $a i32) (param $lda i32) (param $b i32) (param $c i32) (param $ldc i32) (param $kc i32) (param $init i32) (param $bias i32)`, 3);
  w(`(local $k i32) (local $ko i32) ${range(rows).map((r) => `(local $a${r} i32)`).join(' ')} (local $b0 v128) (local $b1 v128) (local $s v128)`, 3);
  w(`${accs.map((a) => `(local $${a} v128)`).join(' ')}`, 3);
  w(`(local.set $a0 ${get('a')})`, 3);
  for (const r of range(rows).slice(1)) w(`(local.set $a${r} (i32.add ${get(`a${r - 1}`)} ${get('lda')}))`, 3);
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
    w(`(local.set $s (v128.load32_splat (i32.add ${get(`a${r}`)} ${get('ko')})))`, 4);
    w(`(local.set $c${r}0 (f32x4.relaxed_madd ${get('s')} ${get('b0')} ${get(`c${r}0`)}))`, 4);
    w(`(local.set $c${r}1 (f32x4.relaxed_madd ${get('s')} ${get('b1')} ${get(`c${r}1`)}))`, 4);
  }
  w(`(local.set $ko (i32.add ${get('ko')} (i32.const 4)))`, 4);
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

/** Calls $tile<rows> for rows = 1…MR chosen at run time. */
function dispatch(args, depth) {
  const pad = '  '.repeat(depth);
  let text = `${pad}(call $tile1 ${args})`;
  for (const rows of range(MR).slice(1).map((r) => r + 1)) {
    text = `${pad}(if (i32.ge_u (local.get $rows) (i32.const ${rows}))\n${pad}  (then (call $tile${rows} ${args}))\n${pad}  (else\n${text.replace(/^/gm, '    ')}))`;
  }
  return text;
}

export function gemmWat() {
  return `;; Generated by scripts/gemm-wat.mjs: do not edit (change the script and run it).
;; graphc's f32 GEMM for the wasm backend, on tfjs-wasm's own memory, with
;; relaxed SIMD's fused multiply-add (f32x4.relaxed_madd): packB packs B into
;; panels of ${NR} columns; gemm computes C = A·B (+ bias, or + C) with a
;; ${MR}×${NR} register tile over blocks of ${KC} (K) and ${MC} (M). Pointers and
;; strides are in bytes. Build: node scripts/gemm-wat.mjs && node scripts/build-wasm.mjs.
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

${range(MR).map((r) => microKernel(r + 1)).join('\n\n')}

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

  ;; C (m × n, row stride ldc) = A (m × k, row stride lda) · B (packed by packB)
  ;; + C if accumulate, else + the bias row at bias (padded to whole panels) if
  ;; bias ≠ 0, else + 0. tile: scratch for ${MR}×${NR} floats (the last, partial panel
  ;; goes through it). m, n, k > 0.
  (func (export "gemm")
    (param $a i32) (param $lda i32) (param $packed i32) (param $c i32) (param $ldc i32)
    (param $m i32) (param $n i32) (param $k i32) (param $bias i32) (param $accumulate i32) (param $tile i32)
    (local $k0 i32) (local $kc i32) (local $i0 i32) (local $mc i32) (local $j0 i32) (local $cols i32) (local $i i32)
    (local $rows i32) (local $init i32) (local $aBlock i32) (local $panel i32) (local $biasPanel i32) (local $cTile i32)
    (loop $kBlock
      (local.set $kc (select (i32.sub (local.get $k) (local.get $k0)) (i32.const ${KC})
        (i32.lt_u (i32.sub (local.get $k) (local.get $k0)) (i32.const ${KC}))))
      (local.set $init
        (if (result i32) (i32.or (local.get $k0) (local.get $accumulate))
          (then (i32.const 1))
          (else (select (i32.const 2) (i32.const 0) (local.get $bias)))))
      (local.set $i0 (i32.const 0))
      (loop $mBlock
        (local.set $mc (select (i32.sub (local.get $m) (local.get $i0)) (i32.const ${MC})
          (i32.lt_u (i32.sub (local.get $m) (local.get $i0)) (i32.const ${MC}))))
        (local.set $j0 (i32.const 0))
        (loop $nPanel
          (local.set $cols (select (i32.sub (local.get $n) (local.get $j0)) (i32.const ${NR})
            (i32.lt_u (i32.sub (local.get $n) (local.get $j0)) (i32.const ${NR}))))
          ;; This panel's K block: panels are k rows of ${NR * 4} bytes.
          (local.set $panel (i32.add (local.get $packed)
            (i32.shl (i32.add (i32.mul (local.get $j0) (local.get $k)) (i32.mul (local.get $k0) (i32.const ${NR}))) (i32.const 2))))
          (local.set $biasPanel (i32.add (local.get $bias) (i32.shl (local.get $j0) (i32.const 2))))
          (local.set $i (local.get $i0))
          (loop $mTile
            (local.set $rows (select (i32.sub (i32.add (local.get $i0) (local.get $mc)) (local.get $i)) (i32.const ${MR})
              (i32.lt_u (i32.sub (i32.add (local.get $i0) (local.get $mc)) (local.get $i)) (i32.const ${MR}))))
            (local.set $aBlock (i32.add (local.get $a)
              (i32.add (i32.mul (local.get $i) (local.get $lda)) (i32.shl (local.get $k0) (i32.const 2)))))
            (local.set $cTile (i32.add (local.get $c)
              (i32.add (i32.mul (local.get $i) (local.get $ldc)) (i32.shl (local.get $j0) (i32.const 2)))))
            (if (i32.eq (local.get $cols) (i32.const ${NR}))
              (then
${dispatch('(local.get $aBlock) (local.get $lda) (local.get $panel) (local.get $cTile) (local.get $ldc) (local.get $kc) (local.get $init) (local.get $biasPanel)', 8)})
              (else
                (if (i32.eq (local.get $init) (i32.const 1))
                  (then (call $copyTile (local.get $cTile) (local.get $ldc) (local.get $tile) (i32.const ${NR * 4}) (local.get $rows) (local.get $cols))))
${dispatch('(local.get $aBlock) (local.get $lda) (local.get $panel) (local.get $tile) (i32.const 32) (local.get $kc) (local.get $init) (local.get $biasPanel)', 8)}
                (call $copyTile (local.get $tile) (i32.const ${NR * 4}) (local.get $cTile) (local.get $ldc) (local.get $rows) (local.get $cols))))
            (br_if $mTile (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const ${MR}))) (i32.add (local.get $i0) (local.get $mc)))))
          (br_if $nPanel (i32.lt_u (local.tee $j0 (i32.add (local.get $j0) (i32.const ${NR}))) (local.get $n))))
        (br_if $mBlock (i32.lt_u (local.tee $i0 (i32.add (local.get $i0) (local.get $mc))) (local.get $m))))
      (br_if $kBlock (i32.lt_u (local.tee $k0 (i32.add (local.get $k0) (local.get $kc))) (local.get $k)))))
)
`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = gemmWat();
  if (process.argv.includes('--check')) {
    if (readFileSync(target, 'utf8') !== text) {
      console.error(`${target} is stale: run node scripts/gemm-wat.mjs`);
      process.exit(1);
    }
  } else {
    writeFileSync(target, text);
    console.log(`wrote ${target}`);
  }
}
