;; platform_sandbox ABI trampoline for host-functions tests and benches. Every export forwards to one
;; import, so a test can place a request in guest memory, make the guest call the host exactly as a real
;; challenge does (sandbox_exec blocks the worker; get_timestamp/log_message answer in the worker), and read
;; the envelope back. 48 pages (3 MiB) leave room for a 1 MiB+ response fetched with take_result.
(module
  (import "platform_sandbox" "sandbox_exec" (func $exec (param i32 i32 i32 i32) (result i32)))
  (import "platform_sandbox" "take_result" (func $take (param i32 i32) (result i32)))
  (import "platform_sandbox" "get_timestamp" (func $now (result i64)))
  (import "platform_sandbox" "log_message" (func $log (param i32 i32 i32)))
  (memory (export "memory") 48)
  (global $heap (mut i32) (i32.const 65536))
  (func (export "alloc") (param $size i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $heap))
    (global.set $heap (i32.add (global.get $heap) (local.get $size)))
    (local.get $p))
  (func (export "exec") (param i32 i32 i32 i32) (result i32)
    (call $exec (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
  ;; Runs the same request n times; returns the last result code.
  (func (export "exec_loop") (param $req i32) (param $len i32) (param $resp i32) (param $cap i32) (param $n i32) (result i32)
    (local $r i32)
    (block $done
      (loop $again
        (br_if $done (i32.le_s (local.get $n) (i32.const 0)))
        (local.set $r (call $exec (local.get $req) (local.get $len) (local.get $resp) (local.get $cap)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $again)))
    (local.get $r))
  (func (export "take") (param i32 i32) (result i32)
    (call $take (local.get 0) (local.get 1)))
  (func (export "now") (result i64)
    (call $now))
  (func (export "log") (param i32 i32 i32)
    (call $log (local.get 0) (local.get 1) (local.get 2)))
  ;; Logs the same message n times (budget tests).
  (func (export "log_loop") (param $level i32) (param $ptr i32) (param $len i32) (param $n i32)
    (block $done
      (loop $again
        (br_if $done (i32.le_s (local.get $n) (i32.const 0)))
        (call $log (local.get $level) (local.get $ptr) (local.get $len))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $again)))))
