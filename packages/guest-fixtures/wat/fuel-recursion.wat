;; Fuel fixture: direct recursion (fib), mutual recursion (even/odd) and a recursion with an early return.
(module
  (func $fib (export "fib") (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else
        (i32.add
          (call $fib (i32.sub (local.get $n) (i32.const 1)))
          (call $fib (i32.sub (local.get $n) (i32.const 2)))))))

  ;; fib of (n & 15), safe for random inputs
  (func (export "fibMasked") (param $n i32) (result i32)
    (call $fib (i32.and (local.get $n) (i32.const 15))))

  (func $isEven (export "isEven") (param $n i32) (result i32)
    (if (i32.eqz (local.get $n)) (then (return (i32.const 1))))
    (call $isOdd (i32.sub (local.get $n) (i32.const 1))))

  (func $isOdd (param $n i32) (result i32)
    (if (i32.eqz (local.get $n)) (then (return (i32.const 0))))
    (call $isEven (i32.sub (local.get $n) (i32.const 1))))

  ;; parity of (n & 255) by mutual recursion
  (func (export "parity") (param $n i32) (result i32)
    (call $isEven (i32.and (local.get $n) (i32.const 255))))

  ;; gcd by recursion with i64 arithmetic
  (func $gcd (export "gcd") (param $a i64) (param $b i64) (result i64)
    (if (i64.eqz (local.get $b)) (then (return (local.get $a))))
    (return_call $gcd (local.get $b) (i64.rem_u (local.get $a) (local.get $b))))

  (func (export "gcd32") (param $a i32) (param $b i32) (result i32)
    (i32.wrap_i64
      (call $gcd (i64.extend_i32_u (local.get $a)) (i64.extend_i32_u (local.get $b))))))
