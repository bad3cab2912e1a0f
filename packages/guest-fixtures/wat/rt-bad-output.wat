;; Runtime test guest: returns pointers outside its memory from evaluate, get_name and alloc (bad_alloc export).
(module
  (memory (export "memory") 1)
  (func (export "alloc") (param i32) (result i32) (i32.const 1024))
  ;; (len 16 << 32) | 0xfffffff0: far past the 64 KiB memory.
  (func (export "evaluate") (param i32 i32) (result i64) (i64.const 0x00000010fffffff0))
  ;; a string length prefix claiming 1 GiB
  (data (i32.const 0) "\00\00\00\40")
  (func (export "get_name") (result i32) (i32.const 0))
  (func (export "get_version") (result i32) (i32.const -4)))
