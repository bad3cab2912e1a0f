;; Runtime test guest: exports evaluate but neither alloc nor allocate.
(module
  (memory (export "memory") 1)
  (func (export "evaluate") (param i32 i32) (result i64) (i64.const 0)))
