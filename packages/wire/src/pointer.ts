/**
 * Packs a guest pointer and length into the i64 an `evaluate` export returns: `(len << 32) | ptr`.
 * @param ptr - u32 address in guest memory.
 * @param len - u32 byte length.
 */
export function packPtrLen(ptr: number, len: number): bigint {
  return (BigInt(len >>> 0) << 32n) | BigInt(ptr >>> 0);
}

/**
 * Splits an i64 returned by `evaluate` into pointer and length (both read as unsigned 32-bit).
 * @returns `{ ptr, len }`; `0n` unpacks to `{ ptr: 0, len: 0 }` which means "no output".
 */
export function unpackPtrLen(value: bigint): { ptr: number; len: number } {
  const v = BigInt.asUintN(64, value);
  return { ptr: Number(v & 0xffff_ffffn), len: Number(v >> 32n) };
}
