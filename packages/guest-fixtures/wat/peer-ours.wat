;; Peer-benchmark plugin, platform-wasm ABI: the same trivial logic as peer-extism.wat.
;; `evaluate` answers a constant EvaluationOutput {score: 100, valid: true, message: "ok", metrics: nil};
;; `call_host(n)` makes n no-op request host calls (platform_bench.noop) and returns how many answered.
(module
  (import "platform_bench" "noop" (func $noop (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "\84\a5\73\63\6f\72\65\64\a5\76\61\6c\69\64\c3\a7\6d\65\73\73\61\67\65\a2\6f\6b\a7\6d\65\74\72\69\63\73\c0")
  ;; One input at a time: every allocation reuses the scratch area at 4096 (60 KiB), so a reused
  ;; instance never runs out of memory. Larger requests get 0 (refused).
  (func (export "alloc") (param $size i32) (result i32)
    (select (i32.const 4096) (i32.const 0) (i32.le_u (local.get $size) (i32.const 61440))))
  (func (export "evaluate") (param $ptr i32) (param $len i32) (result i64)
    (i64.or (i64.shl (i64.const 35) (i64.const 32)) (i64.const 16)))
  (func (export "call_host") (param $n i32) (result i32)
    (local $ok i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        ;; request: 1 byte (nil) at 64; response buffer 64 bytes at 128
        (if (i32.ge_s (call $noop (i32.const 64) (i32.const 1) (i32.const 128) (i32.const 64)) (i32.const 0))
          (then (local.set $ok (i32.add (local.get $ok) (i32.const 1)))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $ok))
  (data (i32.const 64) "\c0"))
