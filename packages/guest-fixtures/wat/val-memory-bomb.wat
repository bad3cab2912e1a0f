;; Validator e2e guest: grows memory one page at a time for as long as the host lets it, then touches the
;; last byte beyond the final size (the kind of thing a bomb does once growth is refused).
(module
  (memory (export "memory") 1)
  (global $heap (mut i32) (i32.const 4096))
  (func (export "alloc") (param $size i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $heap))
    (global.set $heap (i32.add (global.get $heap) (local.get $size)))
    (local.get $p))
  (func (export "evaluate") (param i32 i32) (result i64)
    (block $refused
      (loop $grow
        (br_if $refused (i32.eq (memory.grow (i32.const 1)) (i32.const -1)))
        (br $grow)))
    ;; Write one byte past the end of memory: traps out of bounds.
    (i32.store8 (i32.mul (memory.size) (i32.const 65536)) (i32.const 1))
    (i64.const 0)))
