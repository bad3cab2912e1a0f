;; Soak guest: calls platform_sandbox.log_message 100,000 times with a 64-byte message (the host's log
;; budget drops all but the first records), then answers {score: 100, valid: true, message: "ok"}.
(module
  (import "platform_sandbox" "log_message" (func $log (param i32 i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 1024) "flood flood flood flood flood flood flood flood flood flood flood")
  (data (i32.const 2048) "\84\a5\73\63\6f\72\65\64\a5\76\61\6c\69\64\c3\a7\6d\65\73\73\61\67\65\a2\6f\6b\a7\6d\65\74\72\69\63\73\c0")
  (func (export "alloc") (param $size i32) (result i32) (i32.const 8192))
  (func (export "evaluate") (param i32 i32) (result i64)
    (local $n i32)
    (local.set $n (i32.const 100000))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (call $log (i32.const 2) (i32.const 1024) (i32.const 64))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (i64.or (i64.shl (i64.const 35) (i64.const 32)) (i64.const 2048))))
