/**
 * Writes tests/vectors/crypto-files-v2.json: vectors for file format v2 (crypto/PROTOCOL.md
 * "Files, version 2"), beside crypto-v1.json, which stays as it is.
 * Run: node -r @swc-node/register tests/vectors/generate-files-v2.ts
 *
 * Secretstream headers are random, so each ciphertext is one fixed blob that must open to the
 * stated plaintext; sizes are deterministic. Every frame is 64 KiB + 17 bytes, so blobs are
 * few and small; refusals are tested by tests/unit/crypto/file-v2.test.ts, built fresh.
 */
import { writeFileSync } from 'fs';
import { join } from 'path';
import * as c from '../../crypto';
import { FileEncryptorV2 } from '../../crypto/file-cipher-v2';
import { filePlaintext, seedFor } from './vector-inputs';

const hex = c.toHex;

function encrypt(key: Uint8Array, pt: Uint8Array): Uint8Array {
  const enc = new FileEncryptorV2(key);
  return c.concatBytes(enc.header, ...enc.write(pt), ...enc.end());
}

async function main(): Promise<void> {
  await c.initCrypto();
  const key = seedFor('file-key');
  const files = [0, 65535, 65536].map((size) => {
    const pt = filePlaintext(size);
    const ct = encrypt(key, pt);
    return {
      key: hex(key),
      size,
      plaintextSha256: c.sha256Hex(pt),
      padmeLength: c.padmeLength(size + 1),
      chunks: (ct.length - 25) / (c.FILE_CHUNK_BYTES + 17),
      encryptedSize: ct.length,
      ciphertext: hex(ct),
    };
  });

  const vectors = {
    format: 'sori-file-vectors',
    v: 2,
    description:
      'Known-answer vectors for file format v2 (crypto/PROTOCOL.md "Files, version 2"). Byte strings are lower-case hex. The key is SHA-256("sori-vector-seed-file-key").',
    generatedWith:
      'libsodium.js (libsodium-wrappers-sumo 0.8.x), tests/vectors/generate-files-v2.ts',
    notes: {
      fileSeeds: 'files[].plaintext is byte i = (i * 31 + 7) mod 256 for i < size.',
      openOnly:
        'Secretstream headers are random: open each ciphertext and compare with the plaintext; sizes recompute exactly.',
      padding:
        'Zero chunks after the boundary (which is then tagged PUSH) appear only where Padmé rounds past a chunk, from n >= 4 MiB: too large for this file; tests/unit/crypto/file-v2.test.ts round-trips and attacks that layout.',
    },
    sizes: [
      0,
      1,
      2,
      65535,
      65536,
      1e6,
      4 * 1024 ** 2 + 1,
      100 * 1024 ** 2,
      2 ** 31 - 1,
      2 ** 31,
    ].map((n) => ({
      n,
      padmeLength: c.padmeLength(n + 1),
      chunks: Math.ceil(c.padmeLength(n + 1) / c.FILE_CHUNK_BYTES),
      encryptedSize: c.encryptedFileSizeV2(n),
    })),
    files,
  };
  writeFileSync(join(__dirname, 'crypto-files-v2.json'), JSON.stringify(vectors, null, 1) + '\n');
  console.log('wrote crypto-files-v2.json');
}

void main();
