;; Validator e2e guest: returns the largest i64 score, {score: 9223372036854775807, valid: true,
;; message: "agent_data length"} (u64 encoding), to prove scores beyond 2^53 reach JSON without loss.
(module
  (memory (export "memory") 1)
  (data (i32.const 2048) "\84\a5\73\63\6f\72\65\cf\7f\ff\ff\ff\ff\ff\ff\ff\a5\76\61\6c\69\64\c3\a7\6d\65\73\73\61\67\65\b1\61\67\65\6e\74\5f\64\61\74\61\20\6c\65\6e\67\74\68\a7\6d\65\74\72\69\63\73\c0")
  (global $heap (mut i32) (i32.const 4096))
  (func (export "alloc") (param $size i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $heap))
    (global.set $heap (i32.add (global.get $heap) (local.get $size)))
    (local.get $p))
  (func (export "evaluate") (param i32 i32) (result i64)
    (i64.or (i64.shl (i64.const 58) (i64.const 32)) (i64.const 2048))))
