// Minimal reader for the parts of the WebAssembly binary format the runtime must understand before the
// engine compiles a module: section layout, function types, imports, memories, exports and the start
// section. Everything else is skipped by its declared size. Every read is bounds-checked: the input is hostile.

/** Raised for structurally malformed binaries; the caller turns it into `MODULE_COMPILE_FAILED`. */
export class WasmFormatError extends Error {
  override readonly name = "WasmFormatError";
}

/** A value type as the runtime names it; `other` covers reference and vector types. */
export type ValType = "i32" | "i64" | "f32" | "f64" | "other";

/** A function signature. */
export interface FuncType {
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
}

/** Limits of a memory, with the byte range they occupy so they can be rewritten. */
export interface MemoryLimits {
  readonly flags: number;
  readonly min: bigint;
  readonly max: bigint | undefined;
  readonly shared: boolean;
  readonly is64: boolean;
  /** Offset (absolute, in the module bytes) of the flags byte. */
  readonly start: number;
  /** Offset just past the limits. */
  readonly end: number;
  /** Offset just past the `min` LEB (where `max` begins). */
  readonly minEnd: number;
}

/** One import entry. */
export interface ParsedImport {
  readonly module: string;
  readonly name: string;
  readonly kind: "function" | "table" | "memory" | "global" | "tag";
  /** For functions: the type index. */
  readonly typeIndex?: number;
  /** For memories and tables: the limits. */
  readonly limits?: MemoryLimits;
}

/** One section's location. */
export interface SectionInfo {
  readonly id: number;
  /** Offset of the id byte. */
  readonly start: number;
  /** Offset of the content (after the size LEB). */
  readonly contentStart: number;
  /** Offset just past the content. */
  readonly end: number;
}

/** What {@link parseModule} learns. */
export interface ParsedModule {
  readonly sections: readonly SectionInfo[];
  /** Function types by index; `undefined` where a type is not a plain function type (GC proposal). */
  readonly types: readonly (FuncType | undefined)[];
  readonly imports: readonly ParsedImport[];
  /** Memories defined in the memory section. */
  readonly memories: readonly MemoryLimits[];
  /** Tables defined in the table section. */
  readonly tables: readonly MemoryLimits[];
  /** True when the type section uses GC-proposal forms (struct/array/rec/sub types). */
  readonly gcTypes: boolean;
  /** Number of entries in the export section and its names. */
  readonly exportNames: readonly string[];
  /** Function index of the start section, if any. */
  readonly startFunction: number | undefined;
}

const textDecoder = new TextDecoder("utf-8", { fatal: true });

/** Cursor over module bytes. */
class Reader {
  pos: number;
  constructor(
    readonly bytes: Uint8Array,
    start: number,
    readonly end: number,
  ) {
    this.pos = start;
  }
  byte(): number {
    if (this.pos >= this.end) throw new WasmFormatError(`unexpected end of data at offset ${this.pos}`);
    return this.bytes[this.pos++]!;
  }
  /** Unsigned LEB128 of at most `bits` bits. */
  uleb(bits: 32 | 64): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; ; i++) {
      if (i >= Math.ceil(bits / 7)) throw new WasmFormatError(`LEB128 too long at offset ${this.pos}`);
      const b = this.byte();
      result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if ((b & 0x80) === 0) break;
    }
    if (result >> BigInt(bits) !== 0n) throw new WasmFormatError(`LEB128 out of range at offset ${this.pos}`);
    return result;
  }
  u32(): number {
    return Number(this.uleb(32));
  }
  /** Signed LEB128 (used for heap types); only its extent matters here. */
  sleb(): void {
    for (let i = 0; i < 10; i++) if ((this.byte() & 0x80) === 0) return;
    throw new WasmFormatError(`LEB128 too long at offset ${this.pos}`);
  }
  name(): string {
    const len = this.u32();
    if (len > this.end - this.pos)
      throw new WasmFormatError(`name runs past its section at offset ${this.pos}`);
    const slice = this.bytes.subarray(this.pos, this.pos + len);
    this.pos += len;
    try {
      return textDecoder.decode(slice);
    } catch {
      throw new WasmFormatError(`name is not UTF-8 at offset ${this.pos - len}`);
    }
  }
}

function valType(r: Reader): ValType {
  const b = r.byte();
  switch (b) {
    case 0x7f:
      return "i32";
    case 0x7e:
      return "i64";
    case 0x7d:
      return "f32";
    case 0x7c:
      return "f64";
    case 0x63:
    case 0x64:
      r.sleb(); // (ref null? heaptype)
      return "other";
    default:
      return "other";
  }
}

/** A table type: reference type then limits. Tables with an initializer expression (0x40) are refused. */
function tableType(r: Reader): MemoryLimits {
  const ref = r.byte();
  if (ref === 0x40) throw new WasmFormatError("tables with initializer expressions are not supported");
  if (ref === 0x63 || ref === 0x64) r.sleb();
  return limits(r, false);
}

function limits(r: Reader, memory: boolean): MemoryLimits {
  const start = r.pos;
  const flags = r.byte();
  if (flags > (memory ? 0x07 : 0x05)) {
    throw new WasmFormatError(`unsupported limits flags 0x${flags.toString(16)} at offset ${start}`);
  }
  const is64 = (flags & 0x04) !== 0;
  const min = r.uleb(is64 ? 64 : 32);
  const minEnd = r.pos;
  const max = (flags & 0x01) !== 0 ? r.uleb(is64 ? 64 : 32) : undefined;
  return { flags, min, max, shared: (flags & 0x02) !== 0, is64, start, end: r.pos, minEnd };
}

/**
 * Parses the section layout and the sections the runtime needs.
 * @throws WasmFormatError when the binary is malformed.
 */
export function parseModule(bytes: Uint8Array): ParsedModule {
  if (bytes.length < 8) throw new WasmFormatError("too short to be a WebAssembly module");
  if (bytes[0] !== 0x00 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    throw new WasmFormatError("missing the \\0asm magic number");
  }
  if (bytes[4] !== 0x01 || bytes[5] !== 0 || bytes[6] !== 0 || bytes[7] !== 0) {
    throw new WasmFormatError("unsupported binary version (only core modules, version 1)");
  }
  const sections: SectionInfo[] = [];
  const types: (FuncType | undefined)[] = [];
  const imports: ParsedImport[] = [];
  const memories: MemoryLimits[] = [];
  const tables: MemoryLimits[] = [];
  let gcTypes = false;
  const exportNames: string[] = [];
  let startFunction: number | undefined;
  const top = new Reader(bytes, 8, bytes.length);
  while (top.pos < bytes.length) {
    const start = top.pos;
    const id = top.byte();
    const size = top.u32();
    const contentStart = top.pos;
    if (size > bytes.length - contentStart) throw new WasmFormatError(`section ${id} runs past the end`);
    const end = contentStart + size;
    sections.push({ id, start, contentStart, end });
    const r = new Reader(bytes, contentStart, end);
    switch (id) {
      case 1:
        gcTypes = !readTypes(r, types);
        break;
      case 4: {
        const n = r.u32();
        for (let i = 0; i < n; i++) tables.push(tableType(r));
        break;
      }
      case 2:
        readImports(r, imports);
        break;
      case 5: {
        const n = r.u32();
        for (let i = 0; i < n; i++) memories.push(limits(r, true));
        break;
      }
      case 7: {
        const n = r.u32();
        for (let i = 0; i < n; i++) {
          exportNames.push(r.name());
          r.byte();
          r.u32();
        }
        break;
      }
      case 8:
        startFunction = r.u32();
        break;
      default:
        break;
    }
    top.pos = end;
  }
  return { sections, types, imports, memories, tables, gcTypes, exportNames, startFunction };
}

/** Reads plain function types; returns false at the first GC-proposal form (the rest is not located). */
function readTypes(r: Reader, types: (FuncType | undefined)[]): boolean {
  const n = r.u32();
  for (let i = 0; i < n; i++) {
    const form = r.byte();
    if (form !== 0x60) return false;
    const params: ValType[] = [];
    const results: ValType[] = [];
    const np = r.u32();
    for (let j = 0; j < np; j++) params.push(valType(r));
    const nr = r.u32();
    for (let j = 0; j < nr; j++) results.push(valType(r));
    types.push({ params, results });
  }
  return true;
}

function readImports(r: Reader, imports: ParsedImport[]): void {
  const n = r.u32();
  for (let i = 0; i < n; i++) {
    const module = r.name();
    const name = r.name();
    const kind = r.byte();
    switch (kind) {
      case 0x00:
        imports.push({ module, name, kind: "function", typeIndex: r.u32() });
        break;
      case 0x01:
        imports.push({ module, name, kind: "table", limits: tableType(r) });
        break;
      case 0x02:
        imports.push({ module, name, kind: "memory", limits: limits(r, true) });
        break;
      case 0x03:
        valType(r);
        r.byte();
        imports.push({ module, name, kind: "global" });
        break;
      case 0x04:
        r.byte();
        r.u32();
        imports.push({ module, name, kind: "tag" });
        break;
      default:
        throw new WasmFormatError(`unknown import kind 0x${kind.toString(16)}`);
    }
  }
}

/** Unsigned LEB128 encoding. */
export function encodeUleb(value: bigint | number): Uint8Array {
  let v = BigInt(value);
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) b |= 0x80;
    out.push(b);
  } while (v !== 0n);
  return Uint8Array.from(out);
}

/** Concatenates byte arrays. */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  let len = 0;
  for (const p of parts) len += p.length;
  const out = new Uint8Array(len);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A replacement of `bytes[start, end)` (absolute offsets) by `with`. */
export interface Edit {
  readonly start: number;
  readonly end: number;
  readonly with: Uint8Array;
}

/** Re-encodes one section with the given edits applied to its content (the size LEB is recomputed). */
export function rewriteSection(bytes: Uint8Array, section: SectionInfo, edits: readonly Edit[]): Uint8Array {
  const parts: Uint8Array[] = [];
  let at = section.contentStart;
  for (const e of [...edits].sort((a, b) => a.start - b.start)) {
    parts.push(bytes.subarray(at, e.start), e.with);
    at = e.end;
  }
  parts.push(bytes.subarray(at, section.end));
  const content = concat(parts);
  return concat([Uint8Array.of(section.id), encodeUleb(content.length), content]);
}
