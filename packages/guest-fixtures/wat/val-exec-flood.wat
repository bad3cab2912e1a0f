;; Validator e2e guest: floods the host with platform_sandbox.sandbox_exec calls (asking to run `true`)
;; in an endless loop; only the deadline stops it. Each call is a bridged host call, so this hammers the
;; host side rather than just burning the guest's own CPU.
(module
  (import "platform_sandbox" "sandbox_exec" (func $exec (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 1536) "\85\a7\63\6f\6d\6d\61\6e\64\a4\74\72\75\65\a4\61\72\67\73\90\a3\65\6e\76\80\a5\73\74\64\69\6e\c0\b1\77\6f\72\6b\69\6e\67\5f\64\69\72\65\63\74\6f\72\79\c0")
  (global $heap (mut i32) (i32.const 8192))
  (func (export "alloc") (param $size i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $heap))
    (global.set $heap (i32.add (global.get $heap) (local.get $size)))
    (local.get $p))
  (func (export "evaluate") (param i32 i32) (result i64)
    (loop $flood
      (drop (call $exec (i32.const 1536) (i32.const 51) (i32.const 4096) (i32.const 1024)))
      (br $flood))
    (i64.const 0)))
