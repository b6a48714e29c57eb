import { encryptedFileSize, FILE_CHUNK_BYTES, padmeLength } from '../../crypto';

// An upload is a file stream of crypto/PROTOCOL.md ("Files"): 0x01 || header(24) || frames,
// each frame a 64 KiB chunk + 17 bytes, over 8 + padmeLength(n) inner bytes. Only lengths of
// that shape can ever decrypt, so any other Upload-Length is refused before a byte is stored.
const FIXED = 1 + 24;
const FRAME_OVERHEAD = 17;
const LENGTH_PREFIX = 8;

/** True when some plaintext size n has encryptedFileSize(n) === total. */
export function isEncryptedFileLength(total: number): boolean {
  if (!Number.isSafeInteger(total) || total < encryptedFileSize(0)) return false;
  const frames = Math.ceil((total - FIXED) / (FILE_CHUNK_BYTES + FRAME_OVERHEAD));
  const padded = total - FIXED - FRAME_OVERHEAD * frames - LENGTH_PREFIX;
  // A Padmé bucket is a fixed point of padmeLength; the last check guards the arithmetic.
  return padded >= 0 && padmeLength(padded) === padded && encryptedFileSize(padded) === total;
}
