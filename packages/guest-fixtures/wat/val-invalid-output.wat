;; Validator e2e guest: returns bytes that are MessagePack but not an EvaluationOutput
;; ({"score": "not a number", "valid": "yes"}): the host must report it, not crash.
(module
  (memory (export "memory") 1)
  (data (i32.const 2048) "\82\a5\73\63\6f\72\65\ac\6e\6f\74\20\61\20\6e\75\6d\62\65\72\a5\76\61\6c\69\64\a3\79\65\73")
  (global $heap (mut i32) (i32.const 4096))
  (func (export "alloc") (param $size i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $heap))
    (global.set $heap (i32.add (global.get $heap) (local.get $size)))
    (local.get $p))
  (func (export "evaluate") (param i32 i32) (result i64)
    (i64.or (i64.shl (i64.const 30) (i64.const 32)) (i64.const 2048))))
