;; Fuel fixture: counted loops, nested loops and a data-dependent loop (Collatz), all exported with i32
;; arguments so metered and unmetered results can be compared on random inputs.
(module
  ;; sum of 0..n-1 with wrapping i32 arithmetic
  (func (export "sum") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $acc (i32.add (local.get $acc) (local.get $i)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $acc))

  ;; Collatz steps of n (bounded to 1000 steps so every input terminates quickly)
  (func (export "collatz") (param $n i32) (result i32)
    (local $steps i32)
    (local.set $n (i32.or (i32.and (local.get $n) (i32.const 0xffff)) (i32.const 1)))
    (block $done
      (loop $step
        (br_if $done (i32.le_u (local.get $n) (i32.const 1)))
        (br_if $done (i32.ge_u (local.get $steps) (i32.const 1000)))
        (if (i32.and (local.get $n) (i32.const 1))
          (then (local.set $n (i32.add (i32.mul (local.get $n) (i32.const 3)) (i32.const 1))))
          (else (local.set $n (i32.shr_u (local.get $n) (i32.const 1)))))
        (local.set $steps (i32.add (local.get $steps) (i32.const 1)))
        (br $step)))
    (local.get $steps))

  ;; nested loops: sum of i*j for i, j < (n & 63)
  (func (export "nested") (param $n i32) (result i32)
    (local $i i32) (local $j i32) (local $acc i32)
    (local.set $n (i32.and (local.get $n) (i32.const 63)))
    (loop $outer
      (if (i32.lt_u (local.get $i) (local.get $n))
        (then
          (local.set $j (i32.const 0))
          (loop $inner
            (if (i32.lt_u (local.get $j) (local.get $n))
              (then
                (local.set $acc (i32.add (local.get $acc) (i32.mul (local.get $i) (local.get $j))))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $inner))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $outer))))
    (local.get $acc))

  ;; runs forever: used to prove fuel stops an infinite loop
  (func (export "spin") (param $x i32) (result i32)
    (loop $forever
      (local.set $x (i32.add (local.get $x) (i32.const 1)))
      (br $forever))
    (unreachable))

  ;; loops (n & 255) times, then traps (a guest trap, not fuel)
  (func (export "trapAfter") (param $n i32) (result i32)
    (local.set $n (i32.and (local.get $n) (i32.const 255)))
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l)))
    (i32.div_u (i32.const 1) (local.get $n))))
