import { sha256 } from '../../crypto';

// The envelope's identity for idempotent retries and the custody log: SHA-256 over every
// field the server keeps, each length-prefixed so no two envelopes share an encoding.

const DOMAIN = 'sori/envelope/v1';

export interface EnvelopeFields {
  id: string;
  intakeKeyId: string;
  sealedKey: Uint8Array;
  manifest: Uint8Array;
  sourceTokenHash: Uint8Array | null;
  uploads: readonly string[];
}

function framed(parts: Uint8Array[]): Uint8Array {
  const total = parts.reduce((n, p) => n + 4 + p.length, 0);
  const out = Buffer.allocUnsafe(total); // every byte is written below
  let offset = 0;
  for (const p of parts) {
    offset = out.writeUInt32BE(p.length, offset);
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

export function envelopeSha256(e: EnvelopeFields): Uint8Array {
  const text = (s: string) => Buffer.from(s, 'utf8');
  return sha256(
    framed([
      text(DOMAIN),
      text(e.id),
      text(e.intakeKeyId),
      e.sealedKey,
      e.manifest,
      e.sourceTokenHash ?? new Uint8Array(0),
      text(e.uploads.join(',')),
    ]),
  );
}
