;; Validator e2e guest: scores the length of `agent_data`, proving the submitted bytes reach the guest.
;; It reads the EvaluationInput's first field (the host encodes `agent_data` first, as `bin8/16/32`) and
;; returns {score: <length>, valid: true, message: "agent_data length"}; any other layout traps.
(module
  (memory (export "memory") 1)
  ;; {"score": <u64 BE at 2056..2063>, "valid": true, "message": "agent_data length", "metrics": nil}
  (data (i32.const 2048) "\84\a5\73\63\6f\72\65\cf\00\00\00\00\00\00\00\00\a5\76\61\6c\69\64\c3\a7\6d\65\73\73\61\67\65\b1\61\67\65\6e\74\5f\64\61\74\61\20\6c\65\6e\67\74\68\a7\6d\65\74\72\69\63\73\c0")
  (global $heap (mut i32) (i32.const 4096))
  ;; Bump allocator that grows memory as needed (inputs can be megabytes); 0 when memory cannot grow.
  (func (export "alloc") (param $size i32) (result i32)
    (local $p i32)
    (local $end i32)
    (local.set $p (global.get $heap))
    (local.set $end (i32.add (local.get $p) (local.get $size)))
    (if (i32.gt_u (local.get $end) (i32.mul (memory.size) (i32.const 65536)))
      (then
        (if (i32.eq
              (memory.grow
                (i32.sub
                  (i32.shr_u (i32.add (local.get $end) (i32.const 65535)) (i32.const 16))
                  (memory.size)))
              (i32.const -1))
          (then (return (i32.const 0))))))
    (global.set $heap (local.get $end))
    (local.get $p))
  (func $u8 (param $at i32) (result i32) (i32.load8_u (local.get $at)))
  (func (export "evaluate") (param $ptr i32) (param $len i32) (result i64)
    (local $tag i32)
    (local $n i32)
    ;; map of 5 entries whose first key is the 10-byte string "agent_data"
    (if (i32.ne (call $u8 (local.get $ptr)) (i32.const 0x85)) (then unreachable))
    (if (i32.ne (call $u8 (i32.add (local.get $ptr) (i32.const 1))) (i32.const 0xaa)) (then unreachable))
    (local.set $tag (call $u8 (i32.add (local.get $ptr) (i32.const 12))))
    (if (i32.eq (local.get $tag) (i32.const 0xc4))
      (then (local.set $n (call $u8 (i32.add (local.get $ptr) (i32.const 13)))))
      (else
        (if (i32.eq (local.get $tag) (i32.const 0xc5))
          (then
            (local.set $n
              (i32.or
                (i32.shl (call $u8 (i32.add (local.get $ptr) (i32.const 13))) (i32.const 8))
                (call $u8 (i32.add (local.get $ptr) (i32.const 14))))))
          (else
            (if (i32.ne (local.get $tag) (i32.const 0xc6)) (then unreachable))
            (local.set $n
              (i32.or
                (i32.or
                  (i32.shl (call $u8 (i32.add (local.get $ptr) (i32.const 13))) (i32.const 24))
                  (i32.shl (call $u8 (i32.add (local.get $ptr) (i32.const 14))) (i32.const 16)))
                (i32.or
                  (i32.shl (call $u8 (i32.add (local.get $ptr) (i32.const 15))) (i32.const 8))
                  (call $u8 (i32.add (local.get $ptr) (i32.const 16))))))))))
    ;; big-endian u32 into the low half of the u64 score
    (i32.store8 (i32.const 2060) (i32.shr_u (local.get $n) (i32.const 24)))
    (i32.store8 (i32.const 2061) (i32.shr_u (local.get $n) (i32.const 16)))
    (i32.store8 (i32.const 2062) (i32.shr_u (local.get $n) (i32.const 8)))
    (i32.store8 (i32.const 2063) (local.get $n))
    (i64.or (i64.shl (i64.const 58) (i64.const 32)) (i64.const 2048))))
