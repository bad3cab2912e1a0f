;; Runtime test guest for host imports: a request import (`ping`), the runtime's `take_result`, and two
;; worker-side imports (`tick` answers a value, `note` posts guest memory to the host).
(module
  (import "test_ns" "ping" (func $ping (param i32 i32 i32 i32) (result i32)))
  (import "test_ns" "take_result" (func $take (param i32 i32) (result i32)))
  (import "test_ns" "tick" (func $tick (result i64)))
  (import "test_ns" "note" (func $note (param i32 i32)))
  (memory (export "memory") 1)
  (global $heap (mut i32) (i32.const 8192))
  (data (i32.const 0) "ping")
  (func (export "alloc") (param $size i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $heap))
    (global.set $heap (i32.add (global.get $heap) (local.get $size)))
    (local.get $p))
  ;; Raw passthroughs, so tests choose every pointer and length.
  (func (export "call") (param i32 i32 i32 i32) (result i32)
    (call $ping (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
  (func (export "take") (param i32 i32) (result i32)
    (call $take (local.get 0) (local.get 1)))
  (func (export "note") (param i32 i32) (call $note (local.get 0) (local.get 1)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  ;; Posts note("ping") n times.
  (func (export "notes") (param $n i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (call $note (i32.const 0) (i32.const 4))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next))))
  ;; Calls ping("ping") n times (response buffer 1024..2047); returns how many returned >= 0.
  (func (export "loop") (param $n i32) (result i32)
    (local $ok i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (if (i32.ge_s (call $ping (i32.const 0) (i32.const 4) (i32.const 1024) (i32.const 1024)) (i32.const 0))
          (then (local.set $ok (i32.add (local.get $ok) (i32.const 1)))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $ok))
  ;; Calls tick n times; returns the sum.
  (func (export "ticks") (param $n i32) (result i64)
    (local $sum i64)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $sum (i64.add (local.get $sum) (call $tick)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $sum)))
