import fc from 'fast-check';
import { initCrypto, sha256 } from '../../../crypto';
import { envelopeSha256, type EnvelopeFields } from '../../../server/intake/envelope-hash';

// The envelope hash frames its fields in a buffer it keeps between calls. It must give the
// digest of the documented framing (each field length-prefixed, in order) on every input,
// whatever size the previous call left the buffer at.

function reference(e: EnvelopeFields): Uint8Array {
  const parts = [
    Buffer.from('sori/envelope/v1', 'utf8'),
    Buffer.from(e.id, 'utf8'),
    Buffer.from(e.intakeKeyId, 'utf8'),
    e.sealedKey,
    e.manifest,
    e.sourceTokenHash ?? new Uint8Array(0),
    Buffer.from(e.uploads.join(','), 'utf8'),
  ];
  const framed = Buffer.concat(
    parts.flatMap((p) => {
      const length = Buffer.alloc(4);
      length.writeUInt32BE(p.length);
      return [length, Buffer.from(p)];
    }),
  );
  return sha256(framed);
}

const bytes = (max: number) => fc.uint8Array({ maxLength: max });

const fields: fc.Arbitrary<EnvelopeFields> = fc.record({
  id: fc.string({ maxLength: 40 }),
  intakeKeyId: fc.string({ unit: 'binary', maxLength: 30 }),
  sealedKey: bytes(100),
  manifest: fc.oneof(
    bytes(200),
    fc.integer({ min: 0, max: 70_000 }).map((n) => new Uint8Array(n).fill(n % 251)),
  ),
  sourceTokenHash: fc.option(bytes(40), { nil: null }),
  uploads: fc.array(fc.string({ unit: 'grapheme', maxLength: 12 }), { maxLength: 5 }),
});

describe('envelopeSha256', () => {
  beforeAll(initCrypto);

  it('is SHA-256 over the length-prefixed fields, call after call', () => {
    fc.assert(
      fc.property(fields, (e) => {
        expect(Buffer.from(envelopeSha256(e)).toString('hex')).toBe(
          Buffer.from(reference(e)).toString('hex'),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('does not depend on what an earlier call left in its buffer', () => {
    const small: EnvelopeFields = {
      id: 'a',
      intakeKeyId: 'k',
      sealedKey: new Uint8Array([1]),
      manifest: new Uint8Array([2]),
      sourceTokenHash: null,
      uploads: [],
    };
    const first = Buffer.from(envelopeSha256(small)).toString('hex');
    envelopeSha256({ ...small, manifest: new Uint8Array(50_000).fill(9) });
    expect(Buffer.from(envelopeSha256(small)).toString('hex')).toBe(first);
  });
});
