;; graphc's vectorised elementwise loops for the wasm backend. The module
;; imports tfjs-wasm's own memory, so it works on tensors where they lie.
;; Pointers are byte offsets into that memory; every row length in bytes
;; (units · 4) is a positive multiple of 16 and every row count positive:
;; simd.ts checks that and uses the JavaScript loops otherwise.
;; Build: node scripts/build-wasm.mjs (writes elementwise.wasm.ts beside this).
(module
  (import "env" "memory" (memory 1))

  ;; GRU forward, rh = r ⊙ h_prev. g rows hold [r | u] (2·units wide).
  (func (export "gruResetProduct")
    (param $g i32) (param $hp i32) (param $out i32) (param $rows i32) (param $units i32)
    (local $rowBytes i32) (local $k i32)
    (local.set $rowBytes (i32.shl (local.get $units) (i32.const 2)))
    (loop $row
      (local.set $k (i32.const 0))
      (loop $col
        (v128.store (i32.add (local.get $out) (local.get $k))
          (f32x4.mul
            (v128.load (i32.add (local.get $g) (local.get $k)))
            (v128.load (i32.add (local.get $hp) (local.get $k)))))
        (br_if $col (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 16))) (local.get $rowBytes))))
      (local.set $g (i32.add (local.get $g) (i32.shl (local.get $rowBytes) (i32.const 1))))
      (local.set $hp (i32.add (local.get $hp) (local.get $rowBytes)))
      (local.set $out (i32.add (local.get $out) (local.get $rowBytes)))
      (br_if $row (local.tee $rows (i32.sub (local.get $rows) (i32.const 1))))))

  ;; GRU forward, finishing a step: c = 2c − 1 (c held σ(2a), so this is tanh a),
  ;; h = c + u ⊙ (h_prev − c), written to the next state row and to the output
  ;; row (output rows outStride bytes apart).
  (func (export "gruUpdateState")
    (param $g i32) (param $c i32) (param $hp i32) (param $hn i32) (param $out i32) (param $outStride i32)
    (param $rows i32) (param $units i32)
    (local $rowBytes i32) (local $k i32) (local $cj v128) (local $hj v128)
    (local.set $rowBytes (i32.shl (local.get $units) (i32.const 2)))
    (loop $row
      (local.set $k (i32.const 0))
      (loop $col
        (local.set $cj
          (f32x4.sub
            (f32x4.add (v128.load (i32.add (local.get $c) (local.get $k))) (v128.load (i32.add (local.get $c) (local.get $k))))
            (f32x4.splat (f32.const 1))))
        (v128.store (i32.add (local.get $c) (local.get $k)) (local.get $cj))
        (local.set $hj
          (f32x4.add (local.get $cj)
            (f32x4.mul
              (v128.load (i32.add (i32.add (local.get $g) (local.get $rowBytes)) (local.get $k)))
              (f32x4.sub (v128.load (i32.add (local.get $hp) (local.get $k))) (local.get $cj)))))
        (v128.store (i32.add (local.get $hn) (local.get $k)) (local.get $hj))
        (v128.store (i32.add (local.get $out) (local.get $k)) (local.get $hj))
        (br_if $col (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 16))) (local.get $rowBytes))))
      (local.set $g (i32.add (local.get $g) (i32.shl (local.get $rowBytes) (i32.const 1))))
      (local.set $c (i32.add (local.get $c) (local.get $rowBytes)))
      (local.set $hp (i32.add (local.get $hp) (local.get $rowBytes)))
      (local.set $hn (i32.add (local.get $hn) (local.get $rowBytes)))
      (local.set $out (i32.add (local.get $out) (local.get $outStride)))
      (br_if $row (local.tee $rows (i32.sub (local.get $rows) (i32.const 1))))))

  ;; GRU backward, a step's dh and da_c. dh = dy (rows dyStride bytes apart),
  ;; plus, when $later is not 0, carry + drh ⊙ r' + dh ⊙ u' from the step
  ;; processed before (dh holding its dh on entry; r', u' its gates);
  ;; then da_c = dh ⊙ (1 − u)(1 − c²).
  (func (export "gruStepGradient")
    (param $dy i32) (param $dyStride i32) (param $later i32) (param $carry i32) (param $drh i32) (param $lg i32)
    (param $g i32) (param $c i32) (param $dh i32) (param $dc i32) (param $rows i32) (param $units i32)
    (local $rowBytes i32) (local $k i32) (local $d v128) (local $u v128) (local $cj v128) (local $one v128)
    (local.set $rowBytes (i32.shl (local.get $units) (i32.const 2)))
    (local.set $one (f32x4.splat (f32.const 1)))
    (loop $row
      (local.set $k (i32.const 0))
      (loop $col
        (local.set $d (v128.load (i32.add (local.get $dy) (local.get $k))))
        (if (local.get $later)
          (then
            (local.set $d
              (f32x4.add
                (f32x4.add
                  (f32x4.add (local.get $d) (v128.load (i32.add (local.get $carry) (local.get $k))))
                  (f32x4.mul
                    (v128.load (i32.add (local.get $drh) (local.get $k)))
                    (v128.load (i32.add (local.get $lg) (local.get $k)))))
                (f32x4.mul
                  (v128.load (i32.add (local.get $dh) (local.get $k)))
                  (v128.load (i32.add (i32.add (local.get $lg) (local.get $rowBytes)) (local.get $k))))))))
        (v128.store (i32.add (local.get $dh) (local.get $k)) (local.get $d))
        (local.set $u (v128.load (i32.add (i32.add (local.get $g) (local.get $rowBytes)) (local.get $k))))
        (local.set $cj (v128.load (i32.add (local.get $c) (local.get $k))))
        (v128.store (i32.add (local.get $dc) (local.get $k))
          (f32x4.mul
            (f32x4.mul (local.get $d) (f32x4.sub (local.get $one) (local.get $u)))
            (f32x4.sub (local.get $one) (f32x4.mul (local.get $cj) (local.get $cj)))))
        (br_if $col (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 16))) (local.get $rowBytes))))
      (local.set $dy (i32.add (local.get $dy) (local.get $dyStride)))
      (local.set $carry (i32.add (local.get $carry) (local.get $rowBytes)))
      (local.set $drh (i32.add (local.get $drh) (local.get $rowBytes)))
      (local.set $lg (i32.add (local.get $lg) (i32.shl (local.get $rowBytes) (i32.const 1))))
      (local.set $g (i32.add (local.get $g) (i32.shl (local.get $rowBytes) (i32.const 1))))
      (local.set $c (i32.add (local.get $c) (local.get $rowBytes)))
      (local.set $dh (i32.add (local.get $dh) (local.get $rowBytes)))
      (local.set $dc (i32.add (local.get $dc) (local.get $rowBytes)))
      (br_if $row (local.tee $rows (i32.sub (local.get $rows) (i32.const 1))))))

  ;; GRU backward, [da_r | da_u] of a step: da_r = drh ⊙ h ⊙ r(1 − r), or 0
  ;; when $hasDrh is 0 (the first step); da_u = dh ⊙ (h − c) ⊙ u(1 − u).
  (func (export "gruGateGradients")
    (param $dh i32) (param $hasDrh i32) (param $drh i32) (param $hp i32) (param $g i32) (param $c i32) (param $out i32)
    (param $rows i32) (param $units i32)
    (local $rowBytes i32) (local $k i32) (local $h v128) (local $r v128) (local $u v128) (local $one v128)
    (local.set $rowBytes (i32.shl (local.get $units) (i32.const 2)))
    (local.set $one (f32x4.splat (f32.const 1)))
    (loop $row
      (local.set $k (i32.const 0))
      (loop $col
        (local.set $h (v128.load (i32.add (local.get $hp) (local.get $k))))
        (if (local.get $hasDrh)
          (then
            (local.set $r (v128.load (i32.add (local.get $g) (local.get $k))))
            (v128.store (i32.add (local.get $out) (local.get $k))
              (f32x4.mul
                (f32x4.mul
                  (f32x4.mul (v128.load (i32.add (local.get $drh) (local.get $k))) (local.get $h))
                  (local.get $r))
                (f32x4.sub (local.get $one) (local.get $r)))))
          (else
            (v128.store (i32.add (local.get $out) (local.get $k)) (v128.const i32x4 0 0 0 0))))
        (local.set $u (v128.load (i32.add (i32.add (local.get $g) (local.get $rowBytes)) (local.get $k))))
        (v128.store (i32.add (i32.add (local.get $out) (local.get $rowBytes)) (local.get $k))
          (f32x4.mul
            (f32x4.mul
              (f32x4.mul
                (v128.load (i32.add (local.get $dh) (local.get $k)))
                (f32x4.sub (local.get $h) (v128.load (i32.add (local.get $c) (local.get $k)))))
              (local.get $u))
            (f32x4.sub (local.get $one) (local.get $u))))
        (br_if $col (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 16))) (local.get $rowBytes))))
      (local.set $dh (i32.add (local.get $dh) (local.get $rowBytes)))
      (local.set $drh (i32.add (local.get $drh) (local.get $rowBytes)))
      (local.set $hp (i32.add (local.get $hp) (local.get $rowBytes)))
      (local.set $g (i32.add (local.get $g) (i32.shl (local.get $rowBytes) (i32.const 1))))
      (local.set $c (i32.add (local.get $c) (local.get $rowBytes)))
      (local.set $out (i32.add (local.get $out) (i32.shl (local.get $rowBytes) (i32.const 1))))
      (br_if $row (local.tee $rows (i32.sub (local.get $rows) (i32.const 1))))))

  ;; lowbias32 on four lanes (kernels/dropout.ts).
  (func $lowbias32 (param $x v128) (result v128)
    (local.set $x (v128.xor (local.get $x) (i32x4.shr_u (local.get $x) (i32.const 16))))
    (local.set $x (i32x4.mul (local.get $x) (i32x4.splat (i32.const 0x7feb352d))))
    (local.set $x (v128.xor (local.get $x) (i32x4.shr_u (local.get $x) (i32.const 15))))
    (local.set $x (i32x4.mul (local.get $x) (i32x4.splat (i32.const 0x846ca68b))))
    (v128.xor (local.get $x) (i32x4.shr_u (local.get $x) (i32.const 16))))

  ;; The dropout keep mask (kernels/dropout.ts fillMask) of elements
  ;; first … first + 4·quads − 1 into out: 1 where (hash >>> 8) < limit, else 0.
  (func (export "dropoutMask")
    (param $out i32) (param $quads i32) (param $keyA i32) (param $keyB i32) (param $first i32) (param $limit i32)
    (local $index v128) (local $a v128) (local $b v128) (local $lim v128) (local $one v128)
    (local.set $index
      (i32x4.add (i32x4.splat (local.get $first)) (v128.const i32x4 0 1 2 3)))
    (local.set $a (i32x4.splat (local.get $keyA)))
    (local.set $b (i32x4.splat (local.get $keyB)))
    (local.set $lim (i32x4.splat (local.get $limit)))
    (local.set $one (f32x4.splat (f32.const 1)))
    (loop $quad
      (v128.store (local.get $out)
        (v128.and
          (local.get $one)
          (i32x4.lt_s
            (i32x4.shr_u
              (call $lowbias32 (v128.xor (call $lowbias32 (v128.xor (local.get $index) (local.get $a))) (local.get $b)))
              (i32.const 8))
            (local.get $lim))))
      (local.set $index (i32x4.add (local.get $index) (i32x4.splat (i32.const 4))))
      (local.set $out (i32.add (local.get $out) (i32.const 16)))
      (br_if $quad (local.tee $quads (i32.sub (local.get $quads) (i32.const 1))))))

;; The 4×4-aligned part of a transpose (matrix.ts transposeBlock): for
;; i < rows, j < cols (both multiples of 4), the float at src + i·srcStride + 4j
;; goes to dst + j·dstStride + 4i (strides in bytes). Each 4×4 block is four
;; row loads, eight lane shuffles and four column stores.
  (func (export "transpose")
    (param $src i32) (param $srcStride i32) (param $rows i32) (param $cols i32) (param $dst i32) (param $dstStride i32)
    (local $i i32) (local $j i32) (local $from i32) (local $to i32)
    (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (loop $band
      (local.set $j (i32.const 0))
      (loop $block
        (local.set $from (i32.add (i32.add (local.get $src) (i32.mul (local.get $i) (local.get $srcStride))) (i32.shl (local.get $j) (i32.const 2))))
        (local.set $r0 (v128.load (local.get $from)))
        (local.set $r1 (v128.load (i32.add (local.get $from) (local.get $srcStride))))
        (local.set $r2 (v128.load (i32.add (local.get $from) (i32.shl (local.get $srcStride) (i32.const 1)))))
        (local.set $r3 (v128.load (i32.add (local.get $from) (i32.mul (local.get $srcStride) (i32.const 3)))))
        ;; t0 = [r0₀ r1₀ r0₁ r1₁], t1 = [r0₂ r1₂ r0₃ r1₃]; t2, t3 likewise from r2, r3.
        (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r0) (local.get $r1)))
        (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r0) (local.get $r1)))
        (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r2) (local.get $r3)))
        (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r2) (local.get $r3)))
        (local.set $to (i32.add (i32.add (local.get $dst) (i32.mul (local.get $j) (local.get $dstStride))) (i32.shl (local.get $i) (i32.const 2))))
        (v128.store (local.get $to) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
        (local.set $to (i32.add (local.get $to) (local.get $dstStride)))
        (v128.store (local.get $to) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
        (local.set $to (i32.add (local.get $to) (local.get $dstStride)))
        (v128.store (local.get $to) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
        (local.set $to (i32.add (local.get $to) (local.get $dstStride)))
        (v128.store (local.get $to) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
        (br_if $block (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 4))) (local.get $cols))))
      (br_if $band (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 4))) (local.get $rows)))))

;; TF1's Adam update (kernels/adam_update.ts) of 4·quads elements, in the
;; composite ops' order of float32 operations: m' = m·β1 + g·(1−β1),
;; v' = v·β2 + g²·(1−β2), variable' = variable − m'·lr / (√v' + ε).
;; Slots hold m, then v, `size` elements apart.
  (func (export "adamUpdate")
    (param $variable i32) (param $slots i32) (param $gradient i32) (param $nextVariable i32) (param $nextSlots i32)
    (param $size i32) (param $quads i32)
    (param $beta1 f32) (param $oneMinusBeta1 f32) (param $beta2 f32) (param $oneMinusBeta2 f32) (param $learningRate f32) (param $epsilon f32)
    (local $k i32) (local $end i32) (local $vOffset i32) (local $g v128) (local $m v128) (local $v v128)
    (local.set $end (i32.shl (local.get $quads) (i32.const 4)))
    (local.set $vOffset (i32.shl (local.get $size) (i32.const 2)))
    (loop $quad
      (local.set $g (v128.load (i32.add (local.get $gradient) (local.get $k))))
      (local.set $m
        (f32x4.add
          (f32x4.mul (v128.load (i32.add (local.get $slots) (local.get $k))) (f32x4.splat (local.get $beta1)))
          (f32x4.mul (local.get $g) (f32x4.splat (local.get $oneMinusBeta1)))))
      (local.set $v
        (f32x4.add
          (f32x4.mul (v128.load (i32.add (i32.add (local.get $slots) (local.get $vOffset)) (local.get $k))) (f32x4.splat (local.get $beta2)))
          (f32x4.mul (f32x4.mul (local.get $g) (local.get $g)) (f32x4.splat (local.get $oneMinusBeta2)))))
      (v128.store (i32.add (local.get $nextSlots) (local.get $k)) (local.get $m))
      (v128.store (i32.add (i32.add (local.get $nextSlots) (local.get $vOffset)) (local.get $k)) (local.get $v))
      (v128.store (i32.add (local.get $nextVariable) (local.get $k))
        (f32x4.sub
          (v128.load (i32.add (local.get $variable) (local.get $k)))
          (f32x4.div
            (f32x4.mul (local.get $m) (f32x4.splat (local.get $learningRate)))
            (f32x4.add (f32x4.sqrt (local.get $v)) (f32x4.splat (local.get $epsilon))))))
      (br_if $quad (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 16))) (local.get $end)))))

;; LSTM forward (recurrent/lstm_math.ts), after a step's gate sigmoids; gates rows
;; hold [σi | σ(2j) | σf | σo] (4·units wide): tanh j = 2σ(2j) − 1 in place,
;; c' = c ⊙ σf + σi ⊙ tanh j, and 2c' into cellTanh (its tanh goes through the
;; sigmoid next).
  (func (export "lstmUpdateCell")
    (param $g i32) (param $cPrev i32) (param $cNext i32) (param $cellTanh i32) (param $rows i32) (param $units i32)
    (local $rowBytes i32) (local $k i32) (local $tanhJ v128) (local $c v128)
    (local.set $rowBytes (i32.shl (local.get $units) (i32.const 2)))
    (loop $row
      (local.set $k (i32.const 0))
      (loop $col
        (local.set $tanhJ (v128.load (i32.add (i32.add (local.get $g) (local.get $rowBytes)) (local.get $k))))
        (local.set $tanhJ (f32x4.sub (f32x4.add (local.get $tanhJ) (local.get $tanhJ)) (f32x4.splat (f32.const 1))))
        (v128.store (i32.add (i32.add (local.get $g) (local.get $rowBytes)) (local.get $k)) (local.get $tanhJ))
        (local.set $c
          (f32x4.add
            (f32x4.mul
              (v128.load (i32.add (local.get $cPrev) (local.get $k)))
              (v128.load (i32.add (i32.add (local.get $g) (i32.shl (local.get $rowBytes) (i32.const 1))) (local.get $k))))
            (f32x4.mul (v128.load (i32.add (local.get $g) (local.get $k))) (local.get $tanhJ))))
        (v128.store (i32.add (local.get $cNext) (local.get $k)) (local.get $c))
        (v128.store (i32.add (local.get $cellTanh) (local.get $k)) (f32x4.add (local.get $c) (local.get $c)))
        (br_if $col (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 16))) (local.get $rowBytes))))
      (local.set $g (i32.add (local.get $g) (i32.shl (local.get $rowBytes) (i32.const 2))))
      (local.set $cPrev (i32.add (local.get $cPrev) (local.get $rowBytes)))
      (local.set $cNext (i32.add (local.get $cNext) (local.get $rowBytes)))
      (local.set $cellTanh (i32.add (local.get $cellTanh) (local.get $rowBytes)))
      (br_if $row (local.tee $rows (i32.sub (local.get $rows) (i32.const 1))))))

  ;; LSTM forward, finishing a step: tanh c' = 2σ(2c') − 1 in place; h' = tanh c' ⊙ σo,
  ;; to the next state row and to the output row (output rows outStride bytes apart).
  (func (export "lstmUpdateState")
    (param $g i32) (param $cellTanh i32) (param $hNext i32) (param $out i32) (param $outStride i32) (param $rows i32) (param $units i32)
    (local $rowBytes i32) (local $k i32) (local $tc v128) (local $h v128)
    (local.set $rowBytes (i32.shl (local.get $units) (i32.const 2)))
    (loop $row
      (local.set $k (i32.const 0))
      (loop $col
        (local.set $tc (v128.load (i32.add (local.get $cellTanh) (local.get $k))))
        (local.set $tc (f32x4.sub (f32x4.add (local.get $tc) (local.get $tc)) (f32x4.splat (f32.const 1))))
        (v128.store (i32.add (local.get $cellTanh) (local.get $k)) (local.get $tc))
        (local.set $h
          (f32x4.mul (local.get $tc) (v128.load (i32.add (i32.add (local.get $g) (i32.mul (local.get $rowBytes) (i32.const 3))) (local.get $k)))))
        (v128.store (i32.add (local.get $hNext) (local.get $k)) (local.get $h))
        (v128.store (i32.add (local.get $out) (local.get $k)) (local.get $h))
        (br_if $col (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 16))) (local.get $rowBytes))))
      (local.set $g (i32.add (local.get $g) (i32.shl (local.get $rowBytes) (i32.const 2))))
      (local.set $cellTanh (i32.add (local.get $cellTanh) (local.get $rowBytes)))
      (local.set $hNext (i32.add (local.get $hNext) (local.get $rowBytes)))
      (local.set $out (i32.add (local.get $out) (local.get $outStride)))
      (br_if $row (local.tee $rows (i32.sub (local.get $rows) (i32.const 1))))))

  ;; LSTM backward, one step: dh = dy (+ dhCarry unless $last), dc = (dcCarry unless
  ;; $last) + dh ⊙ σo ⊙ (1 − tanh²c'); the four gate gradients into out (4·units
  ;; wide rows: i, j, f, o) and dcCarry = dc ⊙ σf.
  (func (export "lstmStepGradient")
    (param $dy i32) (param $dyStride i32) (param $last i32) (param $dhCarry i32) (param $dcCarry i32)
    (param $g i32) (param $cellTanh i32) (param $cPrev i32) (param $out i32) (param $rows i32) (param $units i32)
    (local $rowBytes i32) (local $k i32) (local $one v128)
    (local $dh v128) (local $dc v128) (local $si v128) (local $tj v128) (local $sf v128) (local $so v128) (local $tc v128)
    (local.set $rowBytes (i32.shl (local.get $units) (i32.const 2)))
    (local.set $one (f32x4.splat (f32.const 1)))
    (loop $row
      (local.set $k (i32.const 0))
      (loop $col
        (local.set $dh (v128.load (i32.add (local.get $dy) (local.get $k))))
        (if (i32.eqz (local.get $last))
          (then (local.set $dh (f32x4.add (local.get $dh) (v128.load (i32.add (local.get $dhCarry) (local.get $k)))))))
        (local.set $si (v128.load (i32.add (local.get $g) (local.get $k))))
        (local.set $tj (v128.load (i32.add (i32.add (local.get $g) (local.get $rowBytes)) (local.get $k))))
        (local.set $sf (v128.load (i32.add (i32.add (local.get $g) (i32.shl (local.get $rowBytes) (i32.const 1))) (local.get $k))))
        (local.set $so (v128.load (i32.add (i32.add (local.get $g) (i32.mul (local.get $rowBytes) (i32.const 3))) (local.get $k))))
        (local.set $tc (v128.load (i32.add (local.get $cellTanh) (local.get $k))))
        (local.set $dc
          (f32x4.mul (f32x4.mul (local.get $dh) (local.get $so)) (f32x4.sub (local.get $one) (f32x4.mul (local.get $tc) (local.get $tc)))))
        (if (i32.eqz (local.get $last))
          (then (local.set $dc (f32x4.add (v128.load (i32.add (local.get $dcCarry) (local.get $k))) (local.get $dc)))))
        (v128.store (i32.add (local.get $out) (local.get $k))
          (f32x4.mul (f32x4.mul (f32x4.mul (local.get $dc) (local.get $tj)) (local.get $si)) (f32x4.sub (local.get $one) (local.get $si))))
        (v128.store (i32.add (i32.add (local.get $out) (local.get $rowBytes)) (local.get $k))
          (f32x4.mul (f32x4.mul (local.get $dc) (local.get $si)) (f32x4.sub (local.get $one) (f32x4.mul (local.get $tj) (local.get $tj)))))
        (v128.store (i32.add (i32.add (local.get $out) (i32.shl (local.get $rowBytes) (i32.const 1))) (local.get $k))
          (f32x4.mul
            (f32x4.mul (f32x4.mul (local.get $dc) (v128.load (i32.add (local.get $cPrev) (local.get $k)))) (local.get $sf))
            (f32x4.sub (local.get $one) (local.get $sf))))
        (v128.store (i32.add (i32.add (local.get $out) (i32.mul (local.get $rowBytes) (i32.const 3))) (local.get $k))
          (f32x4.mul (f32x4.mul (f32x4.mul (local.get $dh) (local.get $tc)) (local.get $so)) (f32x4.sub (local.get $one) (local.get $so))))
        (v128.store (i32.add (local.get $dcCarry) (local.get $k)) (f32x4.mul (local.get $dc) (local.get $sf)))
        (br_if $col (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 16))) (local.get $rowBytes))))
      (local.set $dy (i32.add (local.get $dy) (local.get $dyStride)))
      (local.set $dhCarry (i32.add (local.get $dhCarry) (local.get $rowBytes)))
      (local.set $dcCarry (i32.add (local.get $dcCarry) (local.get $rowBytes)))
      (local.set $g (i32.add (local.get $g) (i32.shl (local.get $rowBytes) (i32.const 2))))
      (local.set $cellTanh (i32.add (local.get $cellTanh) (local.get $rowBytes)))
      (local.set $cPrev (i32.add (local.get $cPrev) (local.get $rowBytes)))
      (local.set $out (i32.add (local.get $out) (i32.shl (local.get $rowBytes) (i32.const 2))))
      (br_if $row (local.tee $rows (i32.sub (local.get $rows) (i32.const 1))))))
)
