import { describe, expect, it } from "vitest";
import { packPtrLen, unpackPtrLen } from "./pointer.js";

describe("ptr/len packing", () => {
  it("packs (len << 32) | ptr and unpacks it", () => {
    expect(packPtrLen(0x10, 0x20)).toBe(0x20_0000_0010n);
    expect(unpackPtrLen(0x20_0000_0010n)).toEqual({ ptr: 0x10, len: 0x20 });
    expect(unpackPtrLen(0n)).toEqual({ ptr: 0, len: 0 });
  });
  it("treats both halves as unsigned, including a negative i64 from the guest", () => {
    expect(unpackPtrLen(-1n)).toEqual({ ptr: 0xffff_ffff, len: 0xffff_ffff });
    expect(unpackPtrLen(packPtrLen(0xffff_fff0, 0x8000_0000))).toEqual({
      ptr: 0xffff_fff0,
      len: 0x8000_0000,
    });
  });
});
