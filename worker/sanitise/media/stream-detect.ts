import { detectFormat } from '../detect-format';
import { STREAMED, type StreamedFormat } from './formats';

// Which large files can be cleaned as a stream, decided by the worker from the first bytes
// alone (the parsing itself happens in the jail).

/** Bytes detectFormat needs to see: an ID3v2 tag in front, and 4 KiB after it, for MP3. */
export function detectionLength(first: Buffer): number {
  if (first.length < 10 || first.toString('latin1', 0, 3) !== 'ID3') return 64 * 1024;
  const syncsafe = [6, 7, 8, 9].reduce((n, i) => (n << 7) | (first[i]! & 0x7f), 0);
  return Math.min(10 + syncsafe + 10 + 8 * 1024, 16 * 1024 * 1024);
}

export function streamableFormat(head: Buffer): StreamedFormat | null {
  const format = detectFormat(head);
  return format !== null && STREAMED.includes(format) ? (format as StreamedFormat) : null;
}
