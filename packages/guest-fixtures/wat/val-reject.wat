;; Validator e2e guest: a well-formed verdict that rejects the submission:
;; {score: 0, valid: false, message: "wrong answer"}; `validate` rejects every input.
(module
  (memory (export "memory") 1)
  (data (i32.const 2048) "\84\a5\73\63\6f\72\65\00\a5\76\61\6c\69\64\c2\a7\6d\65\73\73\61\67\65\ac\77\72\6f\6e\67\20\61\6e\73\77\65\72\a7\6d\65\74\72\69\63\73\c0")
  (global $heap (mut i32) (i32.const 4096))
  (func (export "alloc") (param $size i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $heap))
    (global.set $heap (i32.add (global.get $heap) (local.get $size)))
    (local.get $p))
  (func (export "evaluate") (param i32 i32) (result i64)
    (i64.or (i64.shl (i64.const 45) (i64.const 32)) (i64.const 2048)))
  (func (export "validate") (param i32 i32) (result i32)
    (i32.const 0)))
