import { Resolver } from "node:dns/promises";
import type { DnsRecordType } from "@platform-wasm/wire";

/**
 * Name resolution used by `platform_network` for `dns_resolve` and for the host's own resolution of
 * HTTP host names. Injectable so deployments choose their DNS servers and tests point at a loopback
 * server. Implementations must never consult a guest-influenced source (no hosts file tricks are
 * assumed either way: every answer is checked against the policy by the caller).
 */
export interface NetworkResolver {
  /**
   * Resolves `hostname` (no trailing dot, lowercase) for one record type.
   * @param hostname - the name to resolve.
   * @param type - `a` and `aaaa` answer addresses, `cname` names, `txt` strings (chunks joined).
   * @param signal - aborted when the call's deadline passes; implementations should stop then.
   * @returns the records; an empty list when the name exists without records of that type.
   */
  resolve(hostname: string, type: DnsRecordType, signal: AbortSignal): Promise<string[]>;
}

/** Options of {@link createDnsResolver}. */
export interface DnsResolverOptions {
  /**
   * DNS servers (`"1.2.3.4"`, `"1.2.3.4:5353"`, `"[::1]:53"`). Omitted: the servers of the
   * operating system's resolver configuration (queried directly with c-ares, never `getaddrinfo`).
   */
  readonly servers?: readonly string[];
  /** Time per attempt in milliseconds (default 2 000). */
  readonly attemptTimeoutMs?: number;
  /** Attempts per query (default 2). */
  readonly tries?: number;
}

/** Node's "name exists but has no such record" answer. */
const NO_DATA_CODES = new Set(["ENODATA"]);

function errorCode(error: unknown): string | undefined {
  if (typeof error === "object" && error !== null && "code" in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === "string" ? code : undefined;
  }
  return undefined;
}

async function query(resolver: Resolver, hostname: string, type: DnsRecordType): Promise<string[]> {
  switch (type) {
    case "a":
      return resolver.resolve4(hostname);
    case "aaaa":
      return resolver.resolve6(hostname);
    case "cname":
      return resolver.resolveCname(hostname);
    case "txt":
      // A TXT record is a list of character strings; one record is their concatenation (RFC 7208 §3.3).
      return (await resolver.resolveTxt(hostname)).map((chunks) => chunks.join(""));
  }
}

/**
 * A {@link NetworkResolver} on `node:dns` (`Resolver`, c-ares): a fresh channel per query so an abort
 * cancels exactly that query.
 * @param options - servers and retry settings.
 * @returns the resolver.
 * @example
 * ```ts
 * const resolver = createDnsResolver({ servers: ["127.0.0.1:5353"] });
 * const records = await resolver.resolve("api.example.test", "a", AbortSignal.timeout(1000));
 * ```
 */
export function createDnsResolver(options: DnsResolverOptions = {}): NetworkResolver {
  const servers = options.servers ? [...options.servers] : undefined;
  const timeout = options.attemptTimeoutMs ?? 2000;
  const tries = options.tries ?? 2;
  return {
    async resolve(hostname, type, signal) {
      signal.throwIfAborted();
      const resolver = new Resolver({ timeout, tries });
      if (servers) resolver.setServers(servers);
      const cancel = () => resolver.cancel();
      signal.addEventListener("abort", cancel, { once: true });
      try {
        return await query(resolver, hostname, type);
      } catch (error) {
        if (NO_DATA_CODES.has(errorCode(error) ?? "")) return [];
        throw error;
      } finally {
        signal.removeEventListener("abort", cancel);
      }
    },
  };
}
