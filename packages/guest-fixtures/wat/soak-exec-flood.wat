;; Soak guest: asks platform_sandbox.sandbox_exec to run `true` 200 times in a row (the policy's
;; max_executions stops all but a few), then answers {score: 7, valid: true, message: "exec attempted"}.
(module
  (import "platform_sandbox" "sandbox_exec" (func $exec (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  ;; SandboxExecRequest {command: "true", args: [], env: {}, stdin: nil, working_directory: nil}
  (data (i32.const 1536) "\85\a7\63\6f\6d\6d\61\6e\64\a4\74\72\75\65\a4\61\72\67\73\90\a3\65\6e\76\80\a5\73\74\64\69\6e\c0\b1\77\6f\72\6b\69\6e\67\5f\64\69\72\65\63\74\6f\72\79\c0")
  (data (i32.const 2048) "\84\a5\73\63\6f\72\65\07\a5\76\61\6c\69\64\c3\a7\6d\65\73\73\61\67\65\ae\65\78\65\63\20\61\74\74\65\6d\70\74\65\64\a7\6d\65\74\72\69\63\73\c0")
  (func (export "alloc") (param $size i32) (result i32) (i32.const 8192))
  (func (export "evaluate") (param i32 i32) (result i64)
    (local $n i32)
    (local.set $n (i32.const 200))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (drop (call $exec (i32.const 1536) (i32.const 51) (i32.const 4096) (i32.const 1024)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (i64.or (i64.shl (i64.const 47) (i64.const 32)) (i64.const 2048))))
