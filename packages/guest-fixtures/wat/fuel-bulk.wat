;; Fuel fixture: bulk memory (memory.fill/copy/init, data.drop), table bulk operations
;; (table.fill/copy/init/grow, elem.drop) and memory.grow — each charged in proportion to its size.
(module
  (memory (export "memory") 1 8)
  (data $greeting "hello, fuel metering!")
  (table $t 4 32 funcref)
  (elem $fns func $one $two $three)
  (func $one (result i32) (i32.const 1))
  (func $two (result i32) (i32.const 2))
  (func $three (result i32) (i32.const 3))

  ;; fill n bytes (n & 0xfff) at 64 with the low byte of v, then sum them back as bytes
  (func (export "fill") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (local.set $n (i32.and (local.get $n) (i32.const 0xfff)))
    (memory.fill (i32.const 64) (local.get $n) (local.get $n))
    (block $done
      (loop $sum
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $acc (i32.add (local.get $acc) (i32.load8_u offset=64 (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $sum)))
    (local.get $acc))

  ;; copy the greeting in, copy (n & 0x7ff) bytes around (overlapping), return a checksum
  (func (export "copy") (param $n i32) (result i32)
    (local $len i32)
    (local.set $len (i32.and (local.get $n) (i32.const 0x7ff)))
    (memory.init $greeting (i32.const 0) (i32.const 0) (i32.const 21))
    (memory.copy (i32.const 5) (i32.const 0) (local.get $len))
    (i32.add (i32.load (i32.const 4)) (i32.load (i32.add (local.get $len) (i32.const 1)))))

  ;; grow by (n & 3) pages: returns old size * 100 + new size
  (func (export "grow") (param $n i32) (result i32)
    (local $old i32)
    (local.set $old (memory.grow (i32.and (local.get $n) (i32.const 3))))
    (i32.add (i32.mul (local.get $old) (i32.const 100)) (memory.size)))

  ;; a failing grow (beyond the maximum) still returns -1 and is still charged
  (func (export "growTooMuch") (result i32)
    (memory.grow (i32.const 1000)))

  ;; table ops: init from the element segment, fill, copy, grow; then call entries
  (func (export "tables") (param $n i32) (result i32)
    (local $grow i32)
    (table.init $t $fns (i32.const 0) (i32.const 0) (i32.const 3))
    (table.fill $t (i32.const 3) (ref.func $two) (i32.const 1))
    (table.copy $t $t (i32.const 1) (i32.const 0) (i32.const 2))
    (local.set $grow (table.grow $t (ref.null func) (i32.and (local.get $n) (i32.const 7))))
    (i32.add
      (i32.add (call_indirect (result i32) (i32.const 0)) (call_indirect (result i32) (i32.const 1)))
      (i32.add (i32.mul (local.get $grow) (i32.const 10)) (table.size $t))))

  (func (export "drops")
    (data.drop $greeting)
    (elem.drop $fns)))
