;; Fuel fixture: instruction encodings the metering decoder must skip correctly — floats, i64 constants,
;; sign extension, saturating truncation, typed select, reference types, globals, SIMD and memarg offsets.
(module
  (memory 1)
  (global $g (mut i64) (i64.const -9223372036854775808))
  (global $f (mut f64) (f64.const 3.5))
  (table $refs 2 externref)
  (func (export "mix") (param $x i32) (result i32)
    (local $v v128) (local $e externref)
    (global.set $g (i64.add (global.get $g) (i64.extend_i32_s (local.get $x))))
    (global.set $f (f64.mul (global.get $f) (f64.convert_i32_s (local.get $x))))
    (i64.store offset=8 align=4 (i32.const 0) (i64.const 0x123456789abcdef0))
    (f32.store offset=16 (i32.const 0) (f32.const -1.25))
    (local.set $v (v128.const i32x4 1 2 3 4))
    (local.set $v (i32x4.add (local.get $v) (i32x4.splat (local.get $x))))
    (local.set $v (i8x16.shuffle 15 14 13 12 11 10 9 8 7 6 5 4 3 2 1 0 (local.get $v) (local.get $v)))
    (v128.store offset=32 (i32.const 0) (local.get $v))
    (local.set $v (v128.load32_lane 1 (i32.const 0) (local.get $v)))
    (table.set $refs (i32.const 0) (local.get $e))
    (i32.add
      (i32.add
        (i32.add
          (i32x4.extract_lane 2 (local.get $v))
          (i32.extend8_s (local.get $x)))
        (i32.add
          (i32.trunc_sat_f64_s (global.get $f))
          (i32.wrap_i64 (global.get $g))))
      (i32.add
        (select (result i32) (i32.load8_s offset=40 (i32.const 0)) (i32.const 5) (ref.is_null (table.get $refs (i32.const 0))))
        (i32.add (i32.load offset=12 (i32.const 0)) (i32.reinterpret_f32 (f32.load offset=16 (i32.const 0))))))))
