;; platform_network ABI trampoline for host-functions tests and benches. Every export forwards to one
;; import, so a test places a MessagePack request in guest memory, makes the guest call the host exactly as a
;; real challenge does (the worker blocks while the host performs the HTTP exchange or DNS lookup), and reads
;; the envelope back. 48 pages (3 MiB) leave room for large responses fetched with take_result.
(module
  (import "platform_network" "http_request" (func $http_request (param i32 i32 i32 i32) (result i32)))
  (import "platform_network" "http_get" (func $http_get (param i32 i32 i32 i32) (result i32)))
  (import "platform_network" "http_post" (func $http_post (param i32 i32 i32 i32) (result i32)))
  (import "platform_network" "dns_resolve" (func $dns_resolve (param i32 i32 i32 i32) (result i32)))
  (import "platform_network" "take_result" (func $take (param i32 i32) (result i32)))
  (memory (export "memory") 48)
  (global $heap (mut i32) (i32.const 65536))
  (func (export "alloc") (param $size i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $heap))
    (global.set $heap (i32.add (global.get $heap) (local.get $size)))
    (local.get $p))
  (func (export "request") (param i32 i32 i32 i32) (result i32)
    (call $http_request (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
  (func (export "get") (param i32 i32 i32 i32) (result i32)
    (call $http_get (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
  (func (export "post") (param i32 i32 i32 i32) (result i32)
    (call $http_post (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
  (func (export "resolve") (param i32 i32 i32 i32) (result i32)
    (call $dns_resolve (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
  (func (export "take") (param i32 i32) (result i32)
    (call $take (local.get 0) (local.get 1)))
  ;; Sends the same http_get n times; returns the last result code (budget tests and benches).
  (func (export "get_loop") (param $req i32) (param $len i32) (param $resp i32) (param $cap i32) (param $n i32) (result i32)
    (local $r i32)
    (block $done
      (loop $again
        (br_if $done (i32.le_s (local.get $n) (i32.const 0)))
        (local.set $r (call $http_get (local.get $req) (local.get $len) (local.get $resp) (local.get $cap)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $again)))
    (local.get $r)))
