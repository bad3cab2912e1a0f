;; Runtime test guest: its allocator returns a pointer at the very end of memory.
(module
  (memory (export "memory") 1)
  (func (export "alloc") (param i32) (result i32) (i32.const 65535))
  (func (export "evaluate") (param i32 i32) (result i64) (i64.const 0)))
