;; Validator e2e guest: logs one message, then returns {score: 100, valid: true, message: "all good"}.
;; `validate` accepts every input.
(module
  (import "platform_sandbox" "log_message" (func $log (param i32 i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 1024) "val-success evaluating")
  (data (i32.const 2048) "\84\a5\73\63\6f\72\65\64\a5\76\61\6c\69\64\c3\a7\6d\65\73\73\61\67\65\a8\61\6c\6c\20\67\6f\6f\64\a7\6d\65\74\72\69\63\73\c0")
  (global $heap (mut i32) (i32.const 4096))
  (func (export "alloc") (param $size i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $heap))
    (global.set $heap (i32.add (global.get $heap) (local.get $size)))
    (local.get $p))
  (func (export "evaluate") (param $ptr i32) (param $len i32) (result i64)
    (call $log (i32.const 2) (i32.const 1024) (i32.const 22))
    (i64.or (i64.shl (i64.const 41) (i64.const 32)) (i64.const 2048)))
  (func (export "validate") (param i32 i32) (result i32)
    (i32.const 1)))
