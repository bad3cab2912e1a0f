;; Runtime test guest: `evaluate` grows memory a page at a time until refused, then traps.
(module
  (memory (export "memory") 1)
  (func (export "alloc") (param i32) (result i32) (i32.const 1024))
  (func (export "evaluate") (param i32 i32) (result i64)
    (loop $more
      (if (i32.eq (memory.grow (i32.const 1)) (i32.const -1)) (then unreachable))
      (br $more))
    (i64.const 0))
  (func (export "pages") (result i32) (memory.size)))
