// SHA-256 for Node processes on either backend: node:crypto (OpenSSL, the CPU's SHA
// instructions), the same digest several times faster than libsodium's portable C or WASM.
import { createHash } from 'node:crypto';
import type { SodiumBackend } from './backend';

const fromBuffer = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

export const nodeSha256: Pick<SodiumBackend, 'sha256' | 'sha256Init'> = {
  sha256: (b) => fromBuffer(createHash('sha256').update(b).digest()),
  sha256Init() {
    const h = createHash('sha256');
    return { update: (chunk) => void h.update(chunk), final: () => fromBuffer(h.digest()) };
  },
};
