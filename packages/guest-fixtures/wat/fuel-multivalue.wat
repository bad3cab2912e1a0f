;; Fuel fixture: multi-value functions, blocks, loops and ifs with parameters and results.
(module
  (type $pair (func (param i32 i32) (result i32 i32)))
  (func $swap (param i32 i32) (result i32 i32) (local.get 1) (local.get 0))
  (func $divmod (param $a i32) (param $b i32) (result i32 i32)
    (i32.div_u (local.get $a) (local.get $b))
    (i32.rem_u (local.get $a) (local.get $b)))

  ;; euclid with a multi-value loop: the loop carries (a, b) on the stack
  (func (export "gcdLoop") (param $a i32) (param $b i32) (result i32)
    (local.get $a) (local.get $b)
    (loop $step (type $pair)
      (call $swap)
      ;; stack: b a
      (local.set $b)
      (local.set $a)
      ;; if a == 0 result is b
      (if (param) (i32.eqz (local.get $a))
        (then (return (local.get $b))))
      (local.get $a)
      (i32.rem_u (local.get $b) (local.get $a))
      (br $step))
    (drop))

  ;; block with params and multiple results, if with params
  (func (export "mix") (param $x i32) (result i32)
    (local $q i32) (local $r i32)
    (local.get $x) (i32.const 7)
    (block $b (param i32 i32) (result i32 i32)
      ;; the block's two parameters are the call's two arguments
      (call $divmod))
    (local.set $r)
    (local.set $q)
    (local.get $q)
    (if (param i32) (result i32) (i32.and (local.get $x) (i32.const 1))
      (then (i32.add (local.get $r)))
      (else (i32.sub (local.get $r)))))

  ;; three results
  (func (export "triple") (param $x i32) (result i32 i32 i32)
    (local.get $x)
    (i32.mul (local.get $x) (i32.const 2))
    (i32.mul (local.get $x) (i32.const 3))))
