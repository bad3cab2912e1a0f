;; Runtime test guest: `evaluate` recurses without bound (stack overflow).
(module
  (memory (export "memory") 1)
  (func $down (param $n i32) (result i32)
    (i32.add (call $down (i32.add (local.get $n) (i32.const 1))) (i32.const 1)))
  (func (export "alloc") (param i32) (result i32) (i32.const 1024))
  (func (export "evaluate") (param i32 i32) (result i64)
    (i64.extend_i32_u (call $down (i32.const 0)))))
