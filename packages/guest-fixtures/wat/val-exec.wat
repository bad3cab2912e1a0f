;; Validator e2e guest: logs, asks the host to run `true` through platform_sandbox.sandbox_exec (a bridged
;; host call; the secure default policy refuses it, which is fine: the call itself is what is observed),
;; then returns {score: 7, valid: true, message: "exec attempted"}.
(module
  (import "platform_sandbox" "log_message" (func $log (param i32 i32 i32)))
  (import "platform_sandbox" "sandbox_exec" (func $exec (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 1024) "val-exec about to call sandbox_exec")
  (data (i32.const 1536) "\85\a7\63\6f\6d\6d\61\6e\64\a4\74\72\75\65\a4\61\72\67\73\90\a3\65\6e\76\80\a5\73\74\64\69\6e\c0\b1\77\6f\72\6b\69\6e\67\5f\64\69\72\65\63\74\6f\72\79\c0")
  (data (i32.const 2048) "\84\a5\73\63\6f\72\65\07\a5\76\61\6c\69\64\c3\a7\6d\65\73\73\61\67\65\ae\65\78\65\63\20\61\74\74\65\6d\70\74\65\64\a7\6d\65\74\72\69\63\73\c0")
  (global $heap (mut i32) (i32.const 8192))
  (func (export "alloc") (param $size i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $heap))
    (global.set $heap (i32.add (global.get $heap) (local.get $size)))
    (local.get $p))
  (func (export "evaluate") (param i32 i32) (result i64)
    (call $log (i32.const 3) (i32.const 1024) (i32.const 35))
    ;; Response buffer at 4096, 1024 bytes; the result code is not needed for this test.
    (drop (call $exec (i32.const 1536) (i32.const 51) (i32.const 4096) (i32.const 1024)))
    (i64.or (i64.shl (i64.const 47) (i64.const 32)) (i64.const 2048))))
