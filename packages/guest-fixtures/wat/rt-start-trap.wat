;; Runtime test guest: its start function traps during instantiation.
(module
  (memory (export "memory") 1)
  (func $boom unreachable)
  (start $boom))
