import type { LookupFunction } from "node:net";
import type { ConnectionOptions } from "node:tls";
import type { buildConnector } from "undici";

/** Options of {@link pinnedConnector}. */
export interface PinnedConnectorOptions {
  /** Addresses already checked against the policy, tried in order. */
  readonly addresses: readonly string[];
  /** Host name TLS verifies the certificate against (`undefined` for an IP-literal URL). */
  readonly servername: string | undefined;
  /** Second, last-moment check of each address before it is dialled. */
  readonly isAllowed: (ip: string) => boolean;
  readonly connectTimeoutMs: number;
  /** Extra trust roots for TLS (operator configuration; verification is always on). */
  readonly ca?: ConnectionOptions["ca"];
}

/**
 * Name resolution inside the socket layer is never wanted: the host already resolved and checked the
 * name. If a code path ever tried, it fails closed.
 */
const refuseLookup: LookupFunction = (hostname, _options, callback) => {
  const error = Object.assign(new Error(`refusing to resolve ${hostname} at connect time`), {
    code: "EPINNED",
  });
  callback(error, "", 4);
};

/**
 * An undici connector that dials only the vetted addresses, whatever host name undici asks for. TLS keeps
 * the URL's host name as SNI and for certificate verification, so pinning the address does not weaken
 * server authentication.
 * @param build - undici's `buildConnector` (passed in: undici is loaded lazily, see undici.ts).
 */
export function pinnedConnector(
  options: PinnedConnectorOptions,
  build: typeof buildConnector,
): buildConnector.connector {
  const base = build({
    timeout: options.connectTimeoutMs,
    lookup: refuseLookup,
    rejectUnauthorized: true,
    ...(options.ca === undefined ? {} : { ca: options.ca }),
  });
  return (connectOptions, callback) => {
    let index = 0;
    const attempt = (lastError: Error | undefined): void => {
      const ip = options.addresses[index++];
      if (ip === undefined) {
        callback(lastError ?? new Error("no address to connect to"), null);
        return;
      }
      if (!options.isAllowed(ip)) {
        callback(Object.assign(new Error(`address ${ip} refused by policy`), { code: "EPOLICY" }), null);
        return;
      }
      const { servername: _ignored, ...rest } = connectOptions;
      base(
        {
          ...rest,
          hostname: ip,
          ...(options.servername === undefined ? {} : { servername: options.servername }),
        },
        (error, socket) => {
          if (error) attempt(error);
          else callback(null, socket);
        },
      );
    };
    attempt(undefined);
  };
}
