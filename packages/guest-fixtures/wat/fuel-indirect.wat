;; Fuel fixture: calls through a table (call_indirect), a table filled by an element segment and by
;; ref.func, and a tail call through the table.
(module
  (type $binop (func (param i32 i32) (result i32)))
  (table $ops 8 funcref)
  (elem (table $ops) (i32.const 0) func $add $sub $mul $xor)
  (elem declare func $rotl)
  (func $add (type $binop) (i32.add (local.get 0) (local.get 1)))
  (func $sub (type $binop) (i32.sub (local.get 0) (local.get 1)))
  (func $mul (type $binop) (i32.mul (local.get 0) (local.get 1)))
  (func $xor (type $binop) (i32.xor (local.get 0) (local.get 1)))
  (func $rotl (type $binop) (i32.rotl (local.get 0) (local.get 1)))

  (func $install
    (table.set $ops (i32.const 4) (ref.func $rotl)))

  ;; fold the bytes of n through the table: op = byte & 3 (or 4 for rotl when byte & 4)
  (func (export "fold") (param $n i32) (result i32)
    (local $i i32) (local $acc i32) (local $byte i32)
    (call $install)
    (local.set $acc (i32.const 7))
    (loop $each
      (local.set $byte (i32.and (i32.shr_u (local.get $n) (i32.mul (local.get $i) (i32.const 8))) (i32.const 255)))
      (local.set $acc
        (call_indirect $ops (type $binop)
          (local.get $acc)
          (local.get $byte)
          (select (i32.const 4) (i32.and (local.get $byte) (i32.const 3))
            (i32.and (local.get $byte) (i32.const 4)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $each (i32.lt_u (local.get $i) (i32.const 4))))
    (local.get $acc))

  ;; tail call through the table
  (func (export "dispatch") (param $op i32) (param $a i32) (param $b i32) (result i32)
    (return_call_indirect $ops (type $binop) (local.get $a) (local.get $b) (i32.and (local.get $op) (i32.const 3))))

  ;; an empty slot: traps (a normal trap, not fuel)
  (func (export "callEmpty") (result i32)
    (call_indirect $ops (type $binop) (i32.const 1) (i32.const 2) (i32.const 7))))
