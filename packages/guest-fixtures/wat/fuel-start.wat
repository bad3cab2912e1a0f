;; Fuel fixture: a start function that runs a loop and initialises state read by an export.
(module
  (global $seed (mut i32) (i32.const 0))
  (func $init
    (local $i i32)
    (loop $l
      (global.set $seed (i32.add (i32.mul (global.get $seed) (i32.const 31)) (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 50)))))
  (start $init)
  (func (export "seed") (result i32) (global.get $seed)))
