;; Validator e2e guest: evaluate never returns (a tight loop with no calls); only the deadline stops it.
(module
  (memory (export "memory") 1)
  (global $heap (mut i32) (i32.const 4096))
  (global $spins (mut i64) (i64.const 0))
  (func (export "alloc") (param $size i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $heap))
    (global.set $heap (i32.add (global.get $heap) (local.get $size)))
    (local.get $p))
  (func (export "evaluate") (param i32 i32) (result i64)
    (loop $forever
      (global.set $spins (i64.add (global.get $spins) (i64.const 1)))
      (br $forever))
    (i64.const 0)))
