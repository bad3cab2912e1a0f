;; Peer-benchmark plugin, Extism ABI (extism:host/env), written from the ABI's import signatures:
;; the same trivial logic as peer-ours.wat. `run` sets the same 35-byte MessagePack output;
;; `call_host` makes 1000 calls of the no-op host function extism:host/user.noop.
(module
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (import "extism:host/env" "store_u8" (func $store_u8 (param i64 i32)))
  (import "extism:host/env" "output_set" (func $output_set (param i64 i64)))
  (import "extism:host/user" "noop" (func $noop (param i64) (result i64)))
  (memory (export "memory") 1)
  (data (i32.const 16) "\84\a5\73\63\6f\72\65\64\a5\76\61\6c\69\64\c3\a7\6d\65\73\73\61\67\65\a2\6f\6b\a7\6d\65\74\72\69\63\73\c0")
  (func (export "run") (result i32)
    (local $block i64)
    (local $i i32)
    (local.set $block (call $alloc (i64.const 35)))
    (block $done
      (loop $copy
        (br_if $done (i32.ge_u (local.get $i) (i32.const 35)))
        (call $store_u8
          (i64.add (local.get $block) (i64.extend_i32_u (local.get $i)))
          (i32.load8_u (i32.add (i32.const 16) (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $copy)))
    (call $output_set (local.get $block) (i64.const 35))
    (i32.const 0))
  (func (export "call_host") (result i32)
    (local $n i32)
    (local.set $n (i32.const 1000))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (drop (call $noop (i64.const 0)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (i32.const 0)))
