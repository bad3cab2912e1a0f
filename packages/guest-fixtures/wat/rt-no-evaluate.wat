;; Runtime test guest: has an allocator but no evaluate/validate.
(module
  (memory (export "memory") 1)
  (func (export "alloc") (param i32) (result i32) (i32.const 1024)))
