;; Runtime test guest: only the fallback allocator `allocate(size, align)`; evaluate returns no output.
(module
  (memory (export "memory") 1)
  (global $seen_align (mut i32) (i32.const 0))
  (func (export "allocate") (param $size i32) (param $align i32) (result i32)
    (global.set $seen_align (local.get $align))
    (i32.const 2048))
  (func (export "evaluate") (param $ptr i32) (param $len i32) (result i64)
    (if (i32.ne (local.get $ptr) (i32.const 2048)) (then unreachable))
    (i64.const 0))
  (func (export "seen_align") (result i32) (global.get $seen_align)))
