;; Validator e2e guest: computes for a while (a counted loop, no host calls), then returns
;; {score: 100, valid: true, message: "all good"}. Used to have a well-behaved request in flight.
(module
  (memory (export "memory") 1)
  (data (i32.const 2048) "\84\a5\73\63\6f\72\65\64\a5\76\61\6c\69\64\c3\a7\6d\65\73\73\61\67\65\a8\61\6c\6c\20\67\6f\6f\64\a7\6d\65\74\72\69\63\73\c0")
  (global $heap (mut i32) (i32.const 4096))
  (global $sink (mut i32) (i32.const 0))
  (func (export "alloc") (param $size i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $heap))
    (global.set $heap (i32.add (global.get $heap) (local.get $size)))
    (local.get $p))
  (func (export "evaluate") (param i32 i32) (result i64)
    (local $i i32)
    (local.set $i (i32.const 400000000))
    (loop $spin
      (global.set $sink (i32.add (global.get $sink) (local.get $i)))
      (local.set $i (i32.sub (local.get $i) (i32.const 1)))
      (br_if $spin (i32.ne (local.get $i) (i32.const 0))))
    (i64.or (i64.shl (i64.const 41) (i64.const 32)) (i64.const 2048))))
