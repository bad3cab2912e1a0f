import { createHash } from "node:crypto";

/** What {@link ModuleCache.get} returns. */
export interface CachedModule<M> {
  readonly module: M;
  /** SHA-256 of the module bytes, hex. */
  readonly sha256: string;
  /** Whether the compiled module came from the cache. */
  readonly cached: boolean;
}

interface Entry<M> {
  readonly module: Promise<M>;
}

interface FileEntries<M> {
  readonly sha256: string;
  /** Compilations of these bytes, by compile-options key (memory cap, metering). */
  readonly variants: Map<string, Entry<M>>;
}

/**
 * Compiled modules keyed by file path, content hash and compile options (the memory cap and fuel
 * metering are compiled into the module, so each combination is its own entry). A path whose bytes
 * changed is recompiled and its old entries dropped; concurrent requests for the same bytes share one
 * compilation; a failed compilation is not cached, so a fixed file is picked up on the next request.
 */
export class ModuleCache<M, O> {
  readonly #files = new Map<string, FileEntries<M>>();
  readonly #compile: (bytes: Uint8Array, options: O) => Promise<M>;
  readonly #keyOf: (options: O) => string;

  /**
   * @param compile - compiles module bytes with options (the runtime's `compileModule`).
   * @param keyOf - a stable key of the options.
   */
  constructor(compile: (bytes: Uint8Array, options: O) => Promise<M>, keyOf: (options: O) => string) {
    this.#compile = compile;
    this.#keyOf = keyOf;
  }

  /**
   * @param file - the module's absolute path.
   * @param bytes - the module's current bytes.
   * @param options - compile options.
   * @returns the compiled module for exactly these bytes and options.
   */
  async get(file: string, bytes: Uint8Array, options: O): Promise<CachedModule<M>> {
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    const key = this.#keyOf(options);
    let entries = this.#files.get(file);
    if (entries === undefined || entries.sha256 !== sha256) {
      entries = { sha256, variants: new Map() };
      this.#files.set(file, entries);
    }
    const existing = entries.variants.get(key);
    if (existing !== undefined) return { module: await existing.module, sha256, cached: true };
    const entry: Entry<M> = { module: this.#compile(bytes, options) };
    entries.variants.set(key, entry);
    try {
      return { module: await entry.module, sha256, cached: false };
    } catch (error) {
      // Only drop our own entry: a newer version of the file may have replaced it meanwhile.
      if (entries.variants.get(key) === entry) entries.variants.delete(key);
      if (entries.variants.size === 0 && this.#files.get(file) === entries) this.#files.delete(file);
      throw error;
    }
  }

  /**
   * Drops every compilation of a file.
   * @param file - a module path.
   * @returns whether anything was cached for it.
   */
  invalidate(file: string): boolean {
    return this.#files.delete(file);
  }

  /** Drops every entry. */
  clear(): void {
    this.#files.clear();
  }

  /** Number of cached compilations. */
  get size(): number {
    let count = 0;
    for (const entries of this.#files.values()) count += entries.variants.size;
    return count;
  }
}
