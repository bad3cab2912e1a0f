;; Runtime test guest: declares a maximum of 4 pages (below any cap) and grows on request.
(module
  (memory (export "memory") 1 4)
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))
