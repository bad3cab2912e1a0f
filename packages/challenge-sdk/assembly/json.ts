// Minimal JSON field lookup for challenge inputs (agent submissions and params are often small JSON
// objects). Reads one top-level field of an object; never traps on malformed input (answers `null`/NaN).

class Cursor {
  pos: i32 = 0;
  constructor(readonly text: string) {}

  get done(): bool {
    return this.pos >= this.text.length;
  }

  code(): i32 {
    return this.pos < this.text.length ? this.text.charCodeAt(this.pos) : -1;
  }

  skipSpace(): void {
    while (!this.done) {
      const c = this.code();
      if (c != 0x20 && c != 0x09 && c != 0x0a && c != 0x0d) return;
      this.pos++;
    }
  }
}

// Reads a JSON string at the cursor (which is on the opening quote); null when malformed.
function readString(c: Cursor): string | null {
  if (c.code() != 0x22) return null;
  c.pos++;
  let out = "";
  let start = c.pos;
  while (!c.done) {
    const ch = c.code();
    if (ch == 0x22) {
      out += c.text.substring(start, c.pos);
      c.pos++;
      return out;
    }
    if (ch == 0x5c) {
      out += c.text.substring(start, c.pos);
      c.pos++;
      const e = c.code();
      c.pos++;
      if (e == 0x22 || e == 0x5c || e == 0x2f) out += String.fromCharCode(e);
      else if (e == 0x6e) out += "\n";
      else if (e == 0x74) out += "\t";
      else if (e == 0x72) out += "\r";
      else if (e == 0x62) out += "\b";
      else if (e == 0x66) out += "\f";
      else if (e == 0x75) {
        if (c.pos + 4 > c.text.length) return null;
        const hex = I32.parseInt(c.text.substring(c.pos, c.pos + 4), 16);
        c.pos += 4;
        out += String.fromCharCode(hex);
      } else return null;
      start = c.pos;
      continue;
    }
    c.pos++;
  }
  return null;
}

// Skips one JSON value (iteratively, so hostile nesting cannot exhaust the stack); false when malformed.
function skipValue(c: Cursor): bool {
  let depth = 0;
  do {
    c.skipSpace();
    const ch = c.code();
    if (ch == 0x22) {
      if (readString(c) === null) return false;
    } else if (ch == 0x7b || ch == 0x5b) {
      depth++;
      c.pos++;
    } else if (ch == 0x7d || ch == 0x5d) {
      if (depth == 0) return false;
      depth--;
      c.pos++;
    } else if (ch == 0x2c || ch == 0x3a) {
      if (depth == 0) return false;
      c.pos++;
    } else if (ch < 0) {
      return false;
    } else {
      // A literal (number, true, false, null): up to the next delimiter.
      const start = c.pos;
      while (!c.done) {
        const d = c.code();
        if (d == 0x2c || d == 0x7d || d == 0x5d || d == 0x3a || d == 0x20 || d == 0x0a || d == 0x0d || d == 0x09) break;
        c.pos++;
      }
      if (c.pos == start) return false;
    }
  } while (depth > 0);
  return true;
}

// Positions the cursor on the value of top-level `key`; false when absent or malformed.
function seek(c: Cursor, key: string): bool {
  c.skipSpace();
  if (c.code() != 0x7b) return false;
  c.pos++;
  c.skipSpace();
  if (c.code() == 0x7d) return false;
  while (true) {
    c.skipSpace();
    const name = readString(c);
    if (name === null) return false;
    c.skipSpace();
    if (c.code() != 0x3a) return false;
    c.pos++;
    c.skipSpace();
    if (name == key) return true;
    if (!skipValue(c)) return false;
    c.skipSpace();
    const sep = c.code();
    if (sep == 0x2c) {
      c.pos++;
      continue;
    }
    return false;
  }
  return false;
}

/** The string value of top-level field `key` of JSON object `json`, or `null` (absent, not a string, malformed). */
export function parseJsonString(json: string, key: string): string | null {
  const c = new Cursor(json);
  if (!seek(c, key)) return null;
  return readString(c);
}

/** The number value of top-level field `key` of JSON object `json`, or NaN (absent, not a number, malformed). */
export function parseJsonNumber(json: string, key: string): f64 {
  const c = new Cursor(json);
  if (!seek(c, key)) return NaN;
  const start = c.pos;
  while (!c.done) {
    const d = c.code();
    const numeric = (d >= 0x30 && d <= 0x39) || d == 0x2d || d == 0x2b || d == 0x2e || d == 0x65 || d == 0x45;
    if (!numeric) break;
    c.pos++;
  }
  if (c.pos == start) return NaN;
  return F64.parseFloat(c.text.substring(start, c.pos));
}
