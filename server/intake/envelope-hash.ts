import { sha256 } from '../../crypto';

// The envelope's identity for idempotent retries and the custody log: SHA-256 over every
// field the server keeps, each length-prefixed so no two envelopes share an encoding.

const DOMAIN = Buffer.from('sori/envelope/v1', 'utf8');
const NONE = new Uint8Array(0);

export interface EnvelopeFields {
  id: string;
  intakeKeyId: string;
  sealedKey: Uint8Array;
  manifest: Uint8Array;
  sourceTokenHash: Uint8Array | null;
  uploads: readonly string[];
}

// The framing is written into one buffer kept between calls and grown when needed: hashing is
// synchronous, so no two calls share it, and the intake then allocates nothing per envelope
// but the digest. It holds ciphertext and ids only, never anything secret.
let scratch = Buffer.allocUnsafe(16 * 1024);

function ensure(bytes: number): Buffer {
  if (scratch.length < bytes) scratch = Buffer.allocUnsafe(Math.max(bytes, scratch.length * 2));
  return scratch;
}

export function envelopeSha256(e: EnvelopeFields): Uint8Array {
  const uploads = e.uploads.join(',');
  const token = e.sourceTokenHash ?? NONE;
  // Strings are at most 3 bytes per UTF-16 unit; the exact length is known once written.
  const bound =
    7 * 4 +
    DOMAIN.length +
    3 * (e.id.length + e.intakeKeyId.length + uploads.length) +
    e.sealedKey.length +
    e.manifest.length +
    token.length;
  const out = ensure(bound);
  let offset = 0;
  const bytes = (b: Uint8Array) => {
    offset = out.writeUInt32BE(b.length, offset);
    out.set(b, offset);
    offset += b.length;
  };
  const text = (s: string) => {
    const length = out.write(s, offset + 4, 'utf8');
    out.writeUInt32BE(length, offset);
    offset += 4 + length;
  };
  bytes(DOMAIN);
  text(e.id);
  text(e.intakeKeyId);
  bytes(e.sealedKey);
  bytes(e.manifest);
  bytes(token);
  text(uploads);
  return sha256(out.subarray(0, offset));
}
