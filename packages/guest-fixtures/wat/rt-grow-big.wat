;; Runtime test guest for the grow guard: allocations that fail far below the memory cap's last page.
(module
  (memory (export "memory") 1)
  (func (export "alloc") (param i32) (result i32) (i32.const 1024))
  ;; Grows by `pages` at once and traps (as an allocator that gives up does) when refused.
  (func (export "grow_or_trap") (param $pages i32) (result i32)
    (local $old i32)
    (local.set $old (memory.grow (local.get $pages)))
    (if (i32.eq (local.get $old) (i32.const -1)) (then unreachable))
    (local.get $old))
  ;; Grows by `pages` and hands the result back: a guest that copes with a refused grow.
  (func (export "grow_handled") (param $pages i32) (result i32)
    (memory.grow (local.get $pages)))
  ;; A trap that has nothing to do with memory.
  (func (export "trap") (result i32) unreachable)
  (func (export "pages") (result i32) (memory.size)))
