;; Runtime test guest: imports its memory (no maximum declared); `grow` reports memory.grow's result.
(module
  (import "env" "memory" (memory 1))
  (func (export "alloc") (param i32) (result i32) (i32.const 1024))
  (func (export "evaluate") (param i32 i32) (result i64) (i64.const 0))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))
