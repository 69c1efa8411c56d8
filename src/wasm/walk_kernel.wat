;; The random walk v <- T v (src/core/random_walk.ts is the reference) as a
;; WebAssembly SIMD kernel in float32, four channels to a v128. The readable
;; source of src/wasm/walk_kernel_binary.ts (npm run wasm:build).
;;
;; Memory, laid out by random_walk_wasm.ts (byte addresses):
;; - rowStart: an i32 per cell and one more; cell i's taps are entries
;;   rowStart[i] .. rowStart[i + 1] - 1 of `taps`;
;; - taps: 8-byte entries (f32 T(i, j) = A(i, j) / D_i, i32 byte offset of
;;   cell j's row in a state buffer), the core's CSR rows with 1 / D_i folded in;
;; - two state buffers, cell-major: a cell's row is `groups` v128s holding its
;;   channels 4g .. 4g + 3 (the last one padded with zeros), so one tap reads
;;   its neighbour's channels from consecutive bytes.
;;
;; A cell's groups are summed in blocks of six, then at most one each of four,
;; two and one: a block keeps its sums in registers and reads each tap's weight
;; and offset once for all its groups. Fewer passes over the taps pay: at 21
;; channels (six groups) one pass of six took 0.29 ms a step on 56 x 56, passes
;; of four and two 0.39 ms.
(module
  (import "env" "memory" (memory 1))

  ;; The block's groups at $dst = sum over the taps $tap .. $end of weight * the neighbour's groups at $src.
  (func $block6 (param $tap i32) (param $end i32) (param $src i32) (param $dst i32)
    (local $w v128) (local $row i32) (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $s4 v128) (local $s5 v128)
    (block $done
      (br_if $done (i32.ge_u (local.get $tap) (local.get $end)))
      (loop $taps
        (local.set $w (v128.load32_splat (local.get $tap)))
        (local.set $row (i32.add (local.get $src) (i32.load offset=4 (local.get $tap))))
        (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul (local.get $w) (v128.load offset=0 (local.get $row)))))
        (local.set $s1 (f32x4.add (local.get $s1) (f32x4.mul (local.get $w) (v128.load offset=16 (local.get $row)))))
        (local.set $s2 (f32x4.add (local.get $s2) (f32x4.mul (local.get $w) (v128.load offset=32 (local.get $row)))))
        (local.set $s3 (f32x4.add (local.get $s3) (f32x4.mul (local.get $w) (v128.load offset=48 (local.get $row)))))
        (local.set $s4 (f32x4.add (local.get $s4) (f32x4.mul (local.get $w) (v128.load offset=64 (local.get $row)))))
        (local.set $s5 (f32x4.add (local.get $s5) (f32x4.mul (local.get $w) (v128.load offset=80 (local.get $row)))))
        (local.set $tap (i32.add (local.get $tap) (i32.const 8)))
        (br_if $taps (i32.lt_u (local.get $tap) (local.get $end)))))
    (v128.store offset=0 (local.get $dst) (local.get $s0))
    (v128.store offset=16 (local.get $dst) (local.get $s1))
    (v128.store offset=32 (local.get $dst) (local.get $s2))
    (v128.store offset=48 (local.get $dst) (local.get $s3))
    (v128.store offset=64 (local.get $dst) (local.get $s4))
    (v128.store offset=80 (local.get $dst) (local.get $s5)))

  (func $block4 (param $tap i32) (param $end i32) (param $src i32) (param $dst i32)
    (local $w v128) (local $row i32) (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (block $done
      (br_if $done (i32.ge_u (local.get $tap) (local.get $end)))
      (loop $taps
        (local.set $w (v128.load32_splat (local.get $tap)))
        (local.set $row (i32.add (local.get $src) (i32.load offset=4 (local.get $tap))))
        (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul (local.get $w) (v128.load offset=0 (local.get $row)))))
        (local.set $s1 (f32x4.add (local.get $s1) (f32x4.mul (local.get $w) (v128.load offset=16 (local.get $row)))))
        (local.set $s2 (f32x4.add (local.get $s2) (f32x4.mul (local.get $w) (v128.load offset=32 (local.get $row)))))
        (local.set $s3 (f32x4.add (local.get $s3) (f32x4.mul (local.get $w) (v128.load offset=48 (local.get $row)))))
        (local.set $tap (i32.add (local.get $tap) (i32.const 8)))
        (br_if $taps (i32.lt_u (local.get $tap) (local.get $end)))))
    (v128.store offset=0 (local.get $dst) (local.get $s0))
    (v128.store offset=16 (local.get $dst) (local.get $s1))
    (v128.store offset=32 (local.get $dst) (local.get $s2))
    (v128.store offset=48 (local.get $dst) (local.get $s3)))

  (func $block2 (param $tap i32) (param $end i32) (param $src i32) (param $dst i32)
    (local $w v128) (local $row i32) (local $s0 v128) (local $s1 v128)
    (block $done
      (br_if $done (i32.ge_u (local.get $tap) (local.get $end)))
      (loop $taps
        (local.set $w (v128.load32_splat (local.get $tap)))
        (local.set $row (i32.add (local.get $src) (i32.load offset=4 (local.get $tap))))
        (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul (local.get $w) (v128.load offset=0 (local.get $row)))))
        (local.set $s1 (f32x4.add (local.get $s1) (f32x4.mul (local.get $w) (v128.load offset=16 (local.get $row)))))
        (local.set $tap (i32.add (local.get $tap) (i32.const 8)))
        (br_if $taps (i32.lt_u (local.get $tap) (local.get $end)))))
    (v128.store offset=0 (local.get $dst) (local.get $s0))
    (v128.store offset=16 (local.get $dst) (local.get $s1)))

  (func $block1 (param $tap i32) (param $end i32) (param $src i32) (param $dst i32)
    (local $w v128) (local $row i32) (local $s0 v128)
    (block $done
      (br_if $done (i32.ge_u (local.get $tap) (local.get $end)))
      (loop $taps
        (local.set $w (v128.load32_splat (local.get $tap)))
        (local.set $row (i32.add (local.get $src) (i32.load offset=4 (local.get $tap))))
        (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul (local.get $w) (v128.load offset=0 (local.get $row)))))
        (local.set $tap (i32.add (local.get $tap) (i32.const 8)))
        (br_if $taps (i32.lt_u (local.get $tap) (local.get $end)))))
    (v128.store offset=0 (local.get $dst) (local.get $s0)))

  ;; One step, $src -> $dst.
  (func $step (param $cells i32) (param $groups i32) (param $rowStart i32) (param $taps i32) (param $src i32) (param $dst i32)
    (local $cell i32) (local $tap i32) (local $end i32) (local $g i32)
    (if (i32.eqz (local.get $cells)) (then (return)))
    (local.set $end (i32.add (local.get $taps) (i32.shl (i32.load (local.get $rowStart)) (i32.const 3))))
    (loop $cells
      (local.set $tap (local.get $end))
      (local.set $end (i32.add (local.get $taps)
        (i32.shl (i32.load offset=4 (i32.add (local.get $rowStart) (i32.shl (local.get $cell) (i32.const 2)))) (i32.const 3))))
      ;; $src and $dst move along the cell's groups; $src is the row of cell 0, to which the taps' offsets add.
      (local.set $g (local.get $groups))
      (block $sixes
        (loop $six
          (br_if $sixes (i32.lt_u (local.get $g) (i32.const 6)))
          (call $block6 (local.get $tap) (local.get $end) (local.get $src) (local.get $dst))
          (local.set $src (i32.add (local.get $src) (i32.const 96)))
          (local.set $dst (i32.add (local.get $dst) (i32.const 96)))
          (local.set $g (i32.sub (local.get $g) (i32.const 6)))
          (br $six)))
      (if (i32.ge_u (local.get $g) (i32.const 4))
        (then
          (call $block4 (local.get $tap) (local.get $end) (local.get $src) (local.get $dst))
          (local.set $src (i32.add (local.get $src) (i32.const 64)))
          (local.set $dst (i32.add (local.get $dst) (i32.const 64)))
          (local.set $g (i32.sub (local.get $g) (i32.const 4)))))
      (if (i32.ge_u (local.get $g) (i32.const 2))
        (then
          (call $block2 (local.get $tap) (local.get $end) (local.get $src) (local.get $dst))
          (local.set $src (i32.add (local.get $src) (i32.const 32)))
          (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
          (local.set $g (i32.sub (local.get $g) (i32.const 2)))))
      (if (local.get $g)
        (then
          (call $block1 (local.get $tap) (local.get $end) (local.get $src) (local.get $dst))
          (local.set $src (i32.add (local.get $src) (i32.const 16)))
          (local.set $dst (i32.add (local.get $dst) (i32.const 16)))))
      ;; Back to cell 0's row in $src; $dst has reached the next cell's.
      (local.set $src (i32.sub (local.get $src) (i32.shl (local.get $groups) (i32.const 4))))
      (local.set $cell (i32.add (local.get $cell) (i32.const 1)))
      (br_if $cells (i32.lt_u (local.get $cell) (local.get $cells)))))

  ;; $steps steps, back and forth between the buffers at $a (which holds the
  ;; maps) and $b, all in one call; returns the address of the one holding the result.
  (func (export "walk") (param $cells i32) (param $groups i32) (param $rowStart i32) (param $taps i32) (param $a i32) (param $b i32) (param $steps i32) (result i32)
    (local $swap i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $steps)))
        (call $step (local.get $cells) (local.get $groups) (local.get $rowStart) (local.get $taps) (local.get $a) (local.get $b))
        (local.set $swap (local.get $a))
        (local.set $a (local.get $b))
        (local.set $b (local.get $swap))
        (local.set $steps (i32.sub (local.get $steps) (i32.const 1)))
        (br $next)))
    (local.get $a)))
