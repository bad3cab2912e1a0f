;; Runtime test guest: imports functions nobody provides (and one that test registrars do provide).
(module
  (import "nope" "first" (func (param i32)))
  (import "test_ns" "ping" (func (param i32 i32 i32 i32) (result i32)))
  (import "test_ns" "missing" (func))
  (import "other" "g" (global i32))
  (memory (export "memory") 1)
  (func (export "evaluate") (param i32 i32) (result i64) (i64.const 0)))
