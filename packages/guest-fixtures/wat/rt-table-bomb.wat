;; Runtime test guest: grows a table until refused, then traps. Tables live on the worker's JavaScript
;; heap (outside the linear-memory cap); unchecked, one huge grow can exhaust the whole process.
(module
  (memory (export "memory") 1)
  (table $t 1 funcref)
  (func (export "alloc") (param i32) (result i32) (i32.const 1024))
  (func (export "evaluate") (param i32 i32) (result i64)
    (loop $more
      (if (i32.eq (table.grow $t (ref.null func) (i32.const 100000)) (i32.const -1)) (then unreachable))
      (br $more))
    (i64.const 0)))
