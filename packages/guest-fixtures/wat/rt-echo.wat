;; Runtime test guest: a well-behaved challenge. `evaluate` answers an EvaluationOutput whose score is the
;; byte sum of the input it was given (proving the input was placed), valid=true, message "ok".
(module
  (memory (export "memory") 1)
  (global $heap (mut i32) (i32.const 1024))
  ;; EvaluationOutput {score: u32 placeholder at 24..27, valid: true, message: "ok", metrics: nil}, 39 bytes.
  (data (i32.const 16) "\84\a5score\ce\00\00\00\00\a5valid\c3\a7message\a2ok\a7metrics\c0")
  (data (i32.const 64) "\07\00\00\00rt-echo")
  (data (i32.const 80) "\05\00\00\001.2.3")
  ;; Bump allocator that grows memory as needed; -1 when it cannot.
  (func (export "alloc") (param $size i32) (result i32)
    (local $p i32) (local $end i32)
    (local.set $p (global.get $heap))
    (local.set $end (i32.add (local.get $p) (local.get $size)))
    (if (i32.gt_u (local.get $end) (i32.mul (memory.size) (i32.const 65536)))
      (then
        (if (i32.eq
              (memory.grow (i32.sub
                (i32.shr_u (i32.add (local.get $end) (i32.const 65535)) (i32.const 16))
                (memory.size)))
              (i32.const -1))
          (then (return (i32.const -1))))))
    (global.set $heap (local.get $end))
    (local.get $p))
  (func (export "evaluate") (param $ptr i32) (param $len i32) (result i64)
    (local $sum i32) (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (local.set $sum (i32.add (local.get $sum) (i32.load8_u (i32.add (local.get $ptr) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    ;; big-endian u32 score
    (i32.store8 (i32.const 24) (i32.shr_u (local.get $sum) (i32.const 24)))
    (i32.store8 (i32.const 25) (i32.shr_u (local.get $sum) (i32.const 16)))
    (i32.store8 (i32.const 26) (i32.shr_u (local.get $sum) (i32.const 8)))
    (i32.store8 (i32.const 27) (local.get $sum))
    (i64.or (i64.shl (i64.const 39) (i64.const 32)) (i64.const 16)))
  ;; Valid when the input is a 5-field MessagePack map (an EvaluationInput).
  (func (export "validate") (param $ptr i32) (param $len i32) (result i32)
    (i32.and (i32.gt_u (local.get $len) (i32.const 0)) (i32.eq (i32.load8_u (local.get $ptr)) (i32.const 0x85))))
  (func (export "get_name") (result i32) (i32.const 64))
  (func (export "get_version") (result i32) (i32.const 80))
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "add64") (param i64 i64) (result i64) (i64.add (local.get 0) (local.get 1))))
