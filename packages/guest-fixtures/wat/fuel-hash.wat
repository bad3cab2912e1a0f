;; Fuel fixture and benchmark guest: CPU-bound work. FNV-1a over a pseudo-random buffer for several
;; rounds, and an insertion sort of i32s; both deterministic from a seed.
(module
  (memory (export "memory") 4)

  ;; xorshift32 fill of n words (n & 0xffff) at 0
  (func $fill (param $seed i32) (param $n i32)
    (local $i i32) (local $x i32)
    (local.set $x (i32.or (local.get $seed) (i32.const 1)))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $x (i32.xor (local.get $x) (i32.shl (local.get $x) (i32.const 13))))
        (local.set $x (i32.xor (local.get $x) (i32.shr_u (local.get $x) (i32.const 17))))
        (local.set $x (i32.xor (local.get $x) (i32.shl (local.get $x) (i32.const 5))))
        (i32.store (i32.shl (local.get $i) (i32.const 2)) (local.get $x))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l))))

  ;; FNV-1a over (words * 4) bytes, repeated rounds times
  (func (export "hash") (param $seed i32) (param $words i32) (param $rounds i32) (result i32)
    (local $h i32) (local $i i32) (local $end i32) (local $r i32)
    (local.set $words (i32.and (local.get $words) (i32.const 0xffff)))
    (call $fill (local.get $seed) (local.get $words))
    (local.set $end (i32.shl (local.get $words) (i32.const 2)))
    (local.set $h (i32.const 0x811c9dc5))
    (block $rdone
      (loop $round
        (br_if $rdone (i32.ge_u (local.get $r) (local.get $rounds)))
        (local.set $i (i32.const 0))
        (block $done
          (loop $byte
            (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
            (local.set $h (i32.mul (i32.xor (local.get $h) (i32.load8_u (local.get $i))) (i32.const 0x01000193)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $byte)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $round)))
    (local.get $h))

  ;; insertion sort of n words (n & 0xfff) filled from seed; returns a checksum of the sorted order
  (func (export "sort") (param $seed i32) (param $n i32) (result i32)
    (local $i i32) (local $j i32) (local $key i32) (local $acc i32)
    (local.set $n (i32.and (local.get $n) (i32.const 0xfff)))
    (call $fill (local.get $seed) (local.get $n))
    (local.set $i (i32.const 1))
    (block $odone
      (loop $outer
        (br_if $odone (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $key (i32.load (i32.shl (local.get $i) (i32.const 2))))
        (local.set $j (local.get $i))
        (block $idone
          (loop $inner
            (br_if $idone (i32.eqz (local.get $j)))
            (br_if $idone (i32.le_s (i32.load (i32.shl (i32.sub (local.get $j) (i32.const 1)) (i32.const 2))) (local.get $key)))
            (i32.store (i32.shl (local.get $j) (i32.const 2))
              (i32.load (i32.shl (i32.sub (local.get $j) (i32.const 1)) (i32.const 2))))
            (local.set $j (i32.sub (local.get $j) (i32.const 1)))
            (br $inner)))
        (i32.store (i32.shl (local.get $j) (i32.const 2)) (local.get $key))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $outer)))
    (local.set $i (i32.const 0))
    (block $cdone
      (loop $check
        (br_if $cdone (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $acc (i32.add (i32.mul (local.get $acc) (i32.const 33)) (i32.load (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $check)))
    (local.get $acc)))
