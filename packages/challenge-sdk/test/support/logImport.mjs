// Worker-side `platform_sandbox.log_message` for the SDK's runtime tests: posts each message to the host.
export function createLogMessage(_config, context) {
  const decoder = new TextDecoder();
  return (level, ptr, len) => {
    const raw = context.readMemory(ptr, len);
    if (raw !== undefined) context.post({ level, text: decoder.decode(raw) });
  };
}
