// SHA-256 for Node processes on either backend: node:crypto (OpenSSL, the CPU's SHA
// instructions), the same digest several times faster than libsodium's portable C or WASM.
import * as nodeCrypto from 'node:crypto';
import type { SodiumBackend } from './backend';

const fromBuffer = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

// One-shot digests (Node ≥ 20.12) skip the Hash object and its stream plumbing; the intake
// hashes twice per envelope. Older Node 20 lines fall back to createHash, the same digest.
const oneShot = (nodeCrypto as { hash?: typeof nodeCrypto.hash }).hash;
const sha256Once: (b: Uint8Array) => Buffer = oneShot
  ? (b) => oneShot('sha256', b, 'buffer')
  : (b) => nodeCrypto.createHash('sha256').update(b).digest();

export const nodeSha256: Pick<SodiumBackend, 'sha256' | 'sha256Init'> = {
  sha256: (b) => fromBuffer(sha256Once(b)),
  sha256Init() {
    const h = nodeCrypto.createHash('sha256');
    return { update: (chunk) => void h.update(chunk), final: () => fromBuffer(h.digest()) };
  },
};
