// Reading and checking a badge QR code in the browser, with no network.
// The format is messe/badges/domain/tokens.py's: "M1:" + base45(body || 64-byte Ed25519 signature),
// body = u8 format (1), u32 attendee id, u16 badge version, then u8-length-prefixed event slug
// (ASCII), name and organisation (UTF-8); integers big-endian.

export const PREFIX = "M1:";
const FORMAT = 1;
const SIGNATURE_SIZE = 64;
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
const VALUE = new Map([...ALPHABET].map((c, i) => [c, i]));

class Malformed extends Error {}

/** Base45 (RFC 9285) text to bytes; throws on anything that is not valid base45. */
export function base45decode(text) {
  if (text.length % 3 === 1) throw new Malformed("impossible length");
  const out = new Uint8Array(Math.floor(text.length / 3) * 2 + (text.length % 3 ? 1 : 0));
  let o = 0;
  for (let i = 0; i < text.length; i += 3) {
    const chunk = text.slice(i, i + 3);
    let n = 0;
    for (let k = chunk.length - 1; k >= 0; k--) {
      const v = VALUE.get(chunk[k]);
      if (v === undefined) throw new Malformed("character outside base45");
      n = n * 45 + v;
    }
    if (chunk.length === 3) {
      if (n > 0xffff) throw new Malformed("triple out of range");
      out[o++] = n >> 8;
      out[o++] = n & 0xff;
    } else {
      if (n > 0xff) throw new Malformed("pair out of range");
      out[o++] = n;
    }
  }
  return out;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

function decodeText(bytes, ascii) {
  if (ascii && bytes.some((b) => b > 0x7f)) throw new Malformed("slug is not ASCII");
  try {
    return utf8.decode(bytes);
  } catch {
    throw new Malformed("not UTF-8");
  }
}

/** The body's fields; throws Malformed when the layout is wrong. */
function parseBody(body) {
  if (body.length < 7) throw new Malformed("too short");
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  if (view.getUint8(0) !== FORMAT) throw new Malformed("unknown format");
  const fields = [];
  let pos = 7;
  for (let i = 0; i < 3; i++) {
    if (pos >= body.length) throw new Malformed("field missing");
    const size = body[pos];
    if (pos + 1 + size > body.length) throw new Malformed("field runs past the end");
    fields.push(decodeText(body.subarray(pos + 1, pos + 1 + size), i === 0));
    pos += 1 + size;
  }
  if (pos !== body.length) throw new Malformed("trailing bytes");
  return {
    attendeeId: view.getUint32(1),
    version: view.getUint16(5),
    eventSlug: fields[0],
    name: fields[1],
    organisation: fields[2],
  };
}

function base64urlBytes(text) {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4);
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

/** The event's public key (raw Ed25519, base64url) for crypto.subtle.verify. */
export function importPublicKey(b64url) {
  return crypto.subtle.importKey("raw", base64urlBytes(b64url), { name: "Ed25519" }, false, ["verify"]);
}

/**
 * Check a scanned text the way the server does: format, event, signature, then version.
 * Resolves to {ok: true, badge} or {ok: false, reason, values}; reasons are the server's
 * (malformed, other_event, bad_signature, superseded).
 * @param {Object<string, number>} reprints attendee id -> current badge version
 */
export async function readBadge(text, key, eventSlug, reprints) {
  text = text.trim();
  let badge, body, signature;
  try {
    if (!text.startsWith(PREFIX)) throw new Malformed("no prefix");
    const raw = base45decode(text.slice(PREFIX.length));
    if (raw.length <= SIGNATURE_SIZE) throw new Malformed("too short");
    body = raw.slice(0, raw.length - SIGNATURE_SIZE);
    signature = raw.slice(raw.length - SIGNATURE_SIZE);
    badge = parseBody(body);
  } catch (error) {
    if (error instanceof Malformed) return { ok: false, reason: "malformed", values: {} };
    throw error;
  }
  if (badge.eventSlug !== eventSlug) {
    return { ok: false, reason: "other_event", values: { event: badge.eventSlug } };
  }
  if (!(await crypto.subtle.verify({ name: "Ed25519" }, key, signature, body))) {
    return { ok: false, reason: "bad_signature", values: {} };
  }
  const current = reprints[String(badge.attendeeId)];
  if (current && badge.version < current) {
    return { ok: false, reason: "superseded", values: { current, version: badge.version } };
  }
  return { ok: true, badge };
}
