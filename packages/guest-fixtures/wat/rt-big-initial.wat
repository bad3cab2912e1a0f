;; Runtime test guest: 2048 initial pages (128 MiB), more than the default 64 MiB cap.
(module (memory (export "memory") 2048))
