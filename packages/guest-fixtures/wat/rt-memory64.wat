;; Runtime test guest: a 64-bit memory (refused).
(module (memory (export "memory") i64 1))
