// `platform_network` message types and their MessagePack layout (ABI v1).
import { EnumTag, FieldSet, readKey } from "./fields";
import { Reader } from "./msgpack/reader";
import { Writer } from "./msgpack/writer";
import { decodeStrings, encodeStrings, StringMap } from "./stringMap";

/** HTTP methods of the ABI (lowercase on the wire). */
export namespace HttpMethod {
  export const GET = "get";
  export const POST = "post";
  export const PUT = "put";
  export const PATCH = "patch";
  export const DELETE = "delete";
  export const HEAD = "head";
  export const OPTIONS = "options";
}

/** DNS record types of the ABI (lowercase on the wire). */
export namespace DnsRecordType {
  export const A = "a";
  export const AAAA = "aaaa";
  export const CNAME = "cname";
  export const TXT = "txt";
}

/** A general HTTP request (`HttpRequest`). */
export class HttpRequest {
  /** Lowercase method, see {@link HttpMethod}. */
  method: string;
  url: string;
  headers: StringMap = new StringMap();
  body: Uint8Array = new Uint8Array(0);

  constructor(method: string, url: string) {
    this.method = method;
    this.url = url;
  }

  /** @internal */
  encode(w: Writer): void {
    w.writeMapHeader(4);
    w.writeString("method");
    w.writeString(this.method);
    w.writeString("url");
    w.writeString(this.url);
    w.writeString("headers");
    this.headers.encode(w);
    w.writeString("body");
    w.writeBin(this.body);
  }

  /** @internal */
  static decode(r: Reader): HttpRequest | null {
    const out = new HttpRequest("", "");
    const fields = new FieldSet();
    const count = r.readMapHeader();
    for (let i = 0; i < count && r.ok; i++) {
      const key = readKey(r);
      if (!r.ok) return null;
      if (key == "method") {
        if (fields.mark(r, 0, key)) out.method = readMethod(r);
      } else if (key == "url") {
        if (fields.mark(r, 1, key)) out.url = r.readString();
      } else if (key == "headers") {
        if (fields.mark(r, 2, key)) out.headers = StringMap.decode(r);
      } else if (key == "body") {
        if (fields.mark(r, 3, key)) out.body = r.readBin();
      } else r.skip();
      if (!r.ok) r.within(key);
    }
    fields.require(r, 0, "method");
    fields.require(r, 1, "url");
    fields.require(r, 2, "headers");
    fields.require(r, 3, "body");
    return r.ok ? out : null;
  }
}

function readMethod(r: Reader): string {
  const method = r.readString();
  if (
    r.ok &&
    method != "get" &&
    method != "post" &&
    method != "put" &&
    method != "patch" &&
    method != "delete" &&
    method != "head" &&
    method != "options"
  ) {
    r.fail("unknown HTTP method `" + method + "`");
  }
  return method;
}

/** A GET request (`HttpGetRequest`). */
export class HttpGetRequest {
  url: string;
  headers: StringMap = new StringMap();

  constructor(url: string) {
    this.url = url;
  }

  /** @internal */
  encode(w: Writer): void {
    w.writeMapHeader(2);
    w.writeString("url");
    w.writeString(this.url);
    w.writeString("headers");
    this.headers.encode(w);
  }

  /** @internal */
  static decode(r: Reader): HttpGetRequest | null {
    const out = new HttpGetRequest("");
    const fields = new FieldSet();
    const count = r.readMapHeader();
    for (let i = 0; i < count && r.ok; i++) {
      const key = readKey(r);
      if (!r.ok) return null;
      if (key == "url") {
        if (fields.mark(r, 0, key)) out.url = r.readString();
      } else if (key == "headers") {
        if (fields.mark(r, 1, key)) out.headers = StringMap.decode(r);
      } else r.skip();
      if (!r.ok) r.within(key);
    }
    fields.require(r, 0, "url");
    fields.require(r, 1, "headers");
    return r.ok ? out : null;
  }
}

/** A POST request (`HttpPostRequest`). */
export class HttpPostRequest {
  url: string;
  headers: StringMap = new StringMap();
  body: Uint8Array;

  constructor(url: string, body: Uint8Array = new Uint8Array(0)) {
    this.url = url;
    this.body = body;
  }

  /** @internal */
  encode(w: Writer): void {
    w.writeMapHeader(3);
    w.writeString("url");
    w.writeString(this.url);
    w.writeString("headers");
    this.headers.encode(w);
    w.writeString("body");
    w.writeBin(this.body);
  }

  /** @internal */
  static decode(r: Reader): HttpPostRequest | null {
    const out = new HttpPostRequest("");
    const fields = new FieldSet();
    const count = r.readMapHeader();
    for (let i = 0; i < count && r.ok; i++) {
      const key = readKey(r);
      if (!r.ok) return null;
      if (key == "url") {
        if (fields.mark(r, 0, key)) out.url = r.readString();
      } else if (key == "headers") {
        if (fields.mark(r, 1, key)) out.headers = StringMap.decode(r);
      } else if (key == "body") {
        if (fields.mark(r, 2, key)) out.body = r.readBin();
      } else r.skip();
      if (!r.ok) r.within(key);
    }
    fields.require(r, 0, "url");
    fields.require(r, 1, "headers");
    fields.require(r, 2, "body");
    return r.ok ? out : null;
  }
}

/** The answer of every HTTP import (`HttpResponse`). */
export class HttpResponse {
  status: u16 = 0;
  headers: StringMap = new StringMap();
  body: Uint8Array = new Uint8Array(0);

  /** The body decoded as UTF-8 (invalid sequences replaced). */
  text(): string {
    return String.UTF8.decodeUnsafe(this.body.dataStart, <usize>this.body.byteLength);
  }

  /** @internal */
  encode(w: Writer): void {
    w.writeMapHeader(3);
    w.writeString("status");
    w.writeU64(<u64>this.status);
    w.writeString("headers");
    this.headers.encode(w);
    w.writeString("body");
    w.writeBin(this.body);
  }

  /** @internal */
  static decode(r: Reader): HttpResponse | null {
    const out = new HttpResponse();
    const fields = new FieldSet();
    const count = r.readMapHeader();
    for (let i = 0; i < count && r.ok; i++) {
      const key = readKey(r);
      if (!r.ok) return null;
      if (key == "status") {
        if (fields.mark(r, 0, key)) out.status = <u16>r.readRange(0, 0xffff);
      } else if (key == "headers") {
        if (fields.mark(r, 1, key)) out.headers = StringMap.decode(r);
      } else if (key == "body") {
        if (fields.mark(r, 2, key)) out.body = r.readBin();
      } else r.skip();
      if (!r.ok) r.within(key);
    }
    fields.require(r, 0, "status");
    fields.require(r, 1, "headers");
    fields.require(r, 2, "body");
    return r.ok ? out : null;
  }
}

/** A DNS lookup (`DnsRequest`). */
export class DnsRequest {
  hostname: string;
  /** See {@link DnsRecordType}. */
  recordType: string;

  constructor(hostname: string, recordType: string = "a") {
    this.hostname = hostname;
    this.recordType = recordType;
  }

  /** @internal */
  encode(w: Writer): void {
    w.writeMapHeader(2);
    w.writeString("hostname");
    w.writeString(this.hostname);
    w.writeString("record_type");
    w.writeString(this.recordType);
  }

  /** @internal */
  static decode(r: Reader): DnsRequest | null {
    const out = new DnsRequest("");
    const fields = new FieldSet();
    const count = r.readMapHeader();
    for (let i = 0; i < count && r.ok; i++) {
      const key = readKey(r);
      if (!r.ok) return null;
      if (key == "hostname") {
        if (fields.mark(r, 0, key)) out.hostname = r.readString();
      } else if (key == "record_type") {
        if (fields.mark(r, 1, key)) {
          const type = r.readString();
          if (r.ok && type != "a" && type != "aaaa" && type != "cname" && type != "txt") {
            r.fail("unknown DNS record type `" + type + "`");
          }
          out.recordType = type;
        }
      } else r.skip();
      if (!r.ok) r.within(key);
    }
    fields.require(r, 0, "hostname");
    fields.require(r, 1, "record_type");
    return r.ok ? out : null;
  }
}

/** DNS answer (`DnsResponse`). */
export class DnsResponse {
  records: string[] = [];

  /** @internal */
  encode(w: Writer): void {
    w.writeMapHeader(1);
    w.writeString("records");
    encodeStrings(w, this.records);
  }

  /** @internal */
  static decode(r: Reader): DnsResponse | null {
    const out = new DnsResponse();
    const fields = new FieldSet();
    const count = r.readMapHeader();
    for (let i = 0; i < count && r.ok; i++) {
      const key = readKey(r);
      if (!r.ok) return null;
      if (key == "records") {
        if (fields.mark(r, 0, key)) out.records = decodeStrings(r);
      } else r.skip();
      if (!r.ok) r.within(key);
    }
    fields.require(r, 0, "records");
    return r.ok ? out : null;
  }
}

/** Variants of `NetworkError` (ABI v1), plus `HostProtocol` for a host answer the SDK could not read. */
export enum NetworkErrorKind {
  /** The policy disables networking. */
  NetworkDisabled = 0,
  /** The request broke the policy (host, scheme, port, address range); `detail` says which. */
  PolicyViolation = 1,
  /** A request budget is used up. */
  LimitExceeded = 2,
  /** The name could not be resolved. */
  DnsFailure = 3,
  /** The HTTP exchange failed. */
  HttpFailure = 4,
  /** The request ran past its time limit. */
  Timeout = 5,
  /** The host could not decode the request. */
  InvalidRequest = 6,
  /** Not an ABI variant: the host's answer was not a readable envelope (or the call returned -1). */
  HostProtocol = 7,
}

const NETWORK_ERROR_NAMES: string[] = [
  "NetworkDisabled",
  "PolicyViolation",
  "LimitExceeded",
  "DnsFailure",
  "HttpFailure",
  "Timeout",
  "InvalidRequest",
  "HostProtocol",
];

/** A `platform_network` error. */
export class NetworkError {
  constructor(
    /** Which variant. */
    public kind: NetworkErrorKind,
    /** The variant's text; `""` for unit variants. */
    public detail: string = "",
  ) {}

  /** The variant's wire name, e.g. `"PolicyViolation"`. */
  get name(): string {
    return NETWORK_ERROR_NAMES[<i32>this.kind];
  }

  private get isUnit(): bool {
    return this.kind == NetworkErrorKind.NetworkDisabled || this.kind == NetworkErrorKind.Timeout;
  }

  /** `Name` or `Name: detail`. */
  toString(): string {
    return this.isUnit ? this.name : this.name + ": " + this.detail;
  }

  /** @internal */
  encode(w: Writer): void {
    if (this.isUnit) {
      w.writeString(this.name);
      return;
    }
    w.writeMapHeader(1);
    w.writeString(this.name);
    w.writeString(this.detail);
  }

  /** @internal */
  static decode(r: Reader): NetworkError | null {
    const tag = EnumTag.read(r);
    if (!r.ok) return null;
    const name = tag.name;
    for (let kind = 0; kind < NETWORK_ERROR_NAMES.length - 1; kind++) {
      if (name != NETWORK_ERROR_NAMES[kind]) continue;
      const error = new NetworkError(<NetworkErrorKind>kind);
      if (error.isUnit) {
        if (tag.hasData) r.skip();
      } else if (!tag.hasData) {
        r.fail("variant `" + name + "` needs data");
      } else error.detail = r.readString();
      if (!r.ok) {
        r.within(name);
        return null;
      }
      return error;
    }
    r.fail("unknown NetworkError variant `" + name + "`");
    return null;
  }
}
