import type { Response } from 'express';

// Status answers are padded with a `pad` field to whole blocks, so the size on the wire does
// not tell an observer (or a TLS-length side channel) how many submissions a receipt has.

export const PAD_BLOCK_BYTES = 1024;

export function padJson(value: Record<string, unknown>, block = PAD_BLOCK_BYTES): string {
  const bare = JSON.stringify({ ...value, pad: '' });
  const size = Buffer.byteLength(bare);
  const fill = Math.ceil(size / block) * block - size;
  return JSON.stringify({ ...value, pad: ' '.repeat(fill) });
}

export function sendPaddedJson(res: Response, value: Record<string, unknown>): void {
  res.type('application/json').send(padJson(value));
}
