// Padmé (Nikitin et al., PURBs, PETS 2019): rounds a length up so that at most O(log log n) bits
// of it remain visible, with at most ~12% overhead.
import { CryptoError } from './errors';
import { STREAM_ABYTES, STREAM_HEADER_BYTES } from './sodium';

/** Plaintext bytes per secretstream chunk; every chunk but the last is exactly this long. */
export const FILE_CHUNK_BYTES = 64 * 1024;
/** The inner plaintext starts with the true length as an unsigned 64-bit big-endian integer. */
export const FILE_LENGTH_PREFIX_BYTES = 8;

function checkSize(n: number): void {
  if (!Number.isSafeInteger(n) || n < 0)
    throw new CryptoError('CRYPTO_BAD_LENGTH', 'size must be a non-negative safe integer');
}

const bitLength = (x: number): number => x.toString(2).length;

export function padmeLength(n: number): number {
  checkSize(n);
  if (n < 2) return n;
  const e = bitLength(n) - 1; // floor(log2 n), exact for safe integers unlike Math.log2
  const s = bitLength(e); // floor(log2 e) + 1
  const mask = 2 ** (e - s);
  return Math.ceil(n / mask) * mask;
}

/** Inner plaintext length: length prefix + data + zero padding up to the Padmé bucket. */
export function innerFileLength(plaintextSize: number): number {
  return FILE_LENGTH_PREFIX_BYTES + padmeLength(plaintextSize);
}

/** Exact ciphertext size: version byte, header, and 17 bytes of overhead per chunk. */
export function encryptedFileSize(plaintextSize: number): number {
  const inner = innerFileLength(plaintextSize);
  const chunks = Math.ceil(inner / FILE_CHUNK_BYTES);
  return 1 + STREAM_HEADER_BYTES + inner + chunks * STREAM_ABYTES;
}

/**
 * Inner plaintext length of file format v2: data, the 0x80 end marker and zeros up to the
 * Padmé bucket of n + 1, rounded up to whole chunks so that every frame has the same length.
 */
export function innerFileLengthV2(plaintextSize: number): number {
  checkSize(plaintextSize);
  return Math.ceil(padmeLength(plaintextSize + 1) / FILE_CHUNK_BYTES) * FILE_CHUNK_BYTES;
}

/** Exact ciphertext size of file format v2: version byte, header, whole 64 KiB frames. */
export function encryptedFileSizeV2(plaintextSize: number): number {
  const inner = innerFileLengthV2(plaintextSize);
  return 1 + STREAM_HEADER_BYTES + inner + (inner / FILE_CHUNK_BYTES) * STREAM_ABYTES;
}
