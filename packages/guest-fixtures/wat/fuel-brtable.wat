;; Fuel fixture: br_table dispatch in a loop (a tiny state machine), dead code after branches, and
;; conditional branches that carry values.
(module
  ;; run the state machine for (n & 255) steps starting from state (n >> 8) & 7
  (func (export "machine") (param $n i32) (result i32)
    (local $state i32) (local $steps i32) (local $acc i32)
    (local.set $state (i32.and (i32.shr_u (local.get $n) (i32.const 8)) (i32.const 7)))
    (local.set $steps (i32.and (local.get $n) (i32.const 255)))
    (block $exit
      (loop $step
        (br_if $exit (i32.eqz (local.get $steps)))
        (local.set $steps (i32.sub (local.get $steps) (i32.const 1)))
        (block $s3
          (block $s2
            (block $s1
              (block $s0
                (br_table $s0 $s1 $s2 $s3 $s0 $s1 (local.get $state))
                ;; dead code after an unconditional branch
                (drop (i32.const 99))
                (unreachable))
              ;; state 0
              (local.set $acc (i32.add (local.get $acc) (i32.const 3)))
              (local.set $state (i32.const 1))
              (br $step))
            ;; state 1
            (local.set $acc (i32.xor (local.get $acc) (i32.const 0x5a5a)))
            (local.set $state (i32.const 2))
            (br $step))
          ;; state 2
          (local.set $acc (i32.rotl (local.get $acc) (i32.const 5)))
          (local.set $state (select (i32.const 3) (i32.const 0) (i32.and (local.get $acc) (i32.const 1))))
          (br $step))
        ;; state 3 (and default)
        (local.set $acc (i32.mul (local.get $acc) (i32.const 31)))
        (local.set $state (i32.const 0))
        (br $step)))
    (local.get $acc))

  ;; classify: br_table with block results
  (func (export "classify") (param $x i32) (result i32)
    (block $big (result i32)
      (block $mid (result i32)
        (block $small (result i32)
          (i32.const 100)
          (br_table $small $mid $big (i32.and (local.get $x) (i32.const 3))))
        (return (i32.add (i32.const 1))))
      (return (i32.add (i32.const 2))))
    (i32.add (i32.const 3)))

  ;; br_if carrying a value out of a block
  (func (export "clamp") (param $x i32) (result i32)
    (block $out (result i32)
      (br_if $out (i32.const 1000) (i32.gt_s (local.get $x) (i32.const 1000)))
      (drop)
      (br_if $out (i32.const -1000) (i32.lt_s (local.get $x) (i32.const -1000)))
      (drop)
      (local.get $x)))

  ;; br_if, br_table and br straight to the function's own label (returns without `return`)
  (global $out (mut i32) (i32.const 0))
  (func $exits (param $x i32)
    (global.set $out (i32.const 1))
    (br_if 0 (i32.eqz (local.get $x)))
    (global.set $out (i32.const 2))
    (block $a
      (block $b
        (br_table $a $b 2 (i32.and (local.get $x) (i32.const 3))))
      (global.set $out (i32.add (global.get $out) (i32.const 10)))
      (br_if 1 (i32.and (local.get $x) (i32.const 4)))
      (global.set $out (i32.add (global.get $out) (i32.const 1000)))
      (br 1))
    (global.set $out (i32.add (global.get $out) (i32.const 100))))
  (func (export "exits") (param $x i32) (result i32)
    (call $exits (local.get $x))
    (global.get $out)))
