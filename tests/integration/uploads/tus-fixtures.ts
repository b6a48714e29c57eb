import { request } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Upload } from 'tus-js-client';
import { createEncryptStream, randomBytes } from '../../../crypto';

// What a client does before it uploads: encrypt a file with crypto's file stream. Plus raw
// tus requests, for the cases a well-behaved client library never produces.

export const TUS = { 'Tus-Resumable': '1.0.0' };
export const OFFSET_STREAM = 'application/offset+octet-stream';

export async function encryptFile(
  plaintext: Uint8Array,
  key = randomBytes(32),
): Promise<{ key: Uint8Array; ciphertext: Buffer }> {
  const parts: Buffer[] = [];
  await pipeline(
    Readable.from([Buffer.from(plaintext)]),
    createEncryptStream(key, plaintext.length),
    async (s) => {
      for await (const c of s) parts.push(c as Buffer);
    },
  );
  return { key, ciphertext: Buffer.concat(parts) };
}

export async function collect(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

export interface TusResponse {
  status: number;
  headers: Headers;
  code: string | undefined;
}

export async function tus(
  url: string,
  method: string,
  headers: Record<string, string> = {},
  body?: Uint8Array,
): Promise<TusResponse> {
  const res = await fetch(url, {
    method,
    headers: { ...TUS, ...headers },
    body: body ? new Uint8Array(body) : undefined,
  });
  const text = await res.text();
  let code: string | undefined;
  try {
    code = (JSON.parse(text) as { error?: { code?: string } }).error?.code;
  } catch {
    code = undefined;
  }
  return { status: res.status, headers: res.headers, code };
}

export async function createUpload(base: string, length: number): Promise<string> {
  const res = await tus(`${base}/v1/uploads`, 'POST', { 'Upload-Length': String(length) });
  if (res.status !== 201) throw new Error(`create: ${res.status} ${res.code}`);
  return new URL(res.headers.get('location') ?? '', base).toString();
}

export async function headOffset(url: string): Promise<number> {
  const res = await tus(url, 'HEAD');
  if (res.status !== 200) throw new Error(`head: ${res.status}`);
  return Number(res.headers.get('upload-offset'));
}

export const patch = (url: string, offset: number, body: Uint8Array, headers = {}) =>
  tus(
    url,
    'PATCH',
    { 'Content-Type': OFFSET_STREAM, 'Upload-Offset': String(offset), ...headers },
    body,
  );

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Announces the whole remainder, sends only `sent`, then drops the connection the way a Tor
 * circuit does, and waits until the server has stored what it received.
 */
export async function interruptedPatch(
  url: string,
  offset: number,
  remaining: number,
  sent: Buffer,
): Promise<number> {
  const req = request(url, {
    method: 'PATCH',
    headers: {
      ...TUS,
      'Content-Type': OFFSET_STREAM,
      'Upload-Offset': String(offset),
      'Content-Length': String(remaining),
    },
  });
  req.on('error', () => undefined);
  await new Promise<void>((resolve) => req.write(sent, () => resolve()));
  await sleep(250); // loopback: every written byte has reached the server's socket by now
  req.destroy();
  const deadline = Date.now() + 10_000;
  let stored = await headOffset(url);
  while (stored !== offset + sent.length && Date.now() < deadline) {
    await sleep(20);
    stored = await headOffset(url);
  }
  return stored;
}

/**
 * Test content: a 64 KiB random block, varied per 64 KiB by its index, so no two blocks
 * repeat. (libsodium's randombytes is slow in bulk, and this needs no secrecy.)
 */
export function testBytes(n: number): Buffer {
  const seed = Buffer.from(randomBytes(65536));
  const out = Buffer.allocUnsafe(n);
  for (let at = 0; at < n; at += 65536) {
    const block = seed.subarray(0, Math.min(65536, n - at));
    block.copy(out, at);
    if (block.length >= 4) out.writeUInt32BE((block.readUInt32BE(0) ^ at) >>> 0, at);
  }
  return out;
}

/** n bytes of test content in pieces, made from a 1 MiB block, never held whole. */
export async function* generated(n: number, piece = 64 * 1024): AsyncGenerator<Buffer> {
  const block = testBytes(1024 * 1024);
  for (let sent = 0; sent < n;) {
    const size = Math.min(piece, n - sent);
    const at = sent % block.length;
    yield at + size <= block.length ? block.subarray(at, at + size) : Buffer.alloc(size, 7);
    sent += size;
  }
}

/**
 * A standard tus client (tus-js-client) uploading `data`; resolves with the upload's URL.
 * `abortAt`: once that many bytes are sent, the connection is dropped mid-PATCH and the same
 * Upload object resumes with HEAD + PATCH.
 */
export function tusClientUpload(
  endpoint: string,
  data: Buffer,
  options: { chunkSize?: number; abortAt?: number } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    let aborted = false;
    const up: Upload = new Upload(data, {
      endpoint,
      // tus-js-client spreads its options: an explicit undefined would replace the default.
      ...(options.chunkSize ? { chunkSize: options.chunkSize } : {}),
      retryDelays: [0, 50, 100],
      onError: reject,
      onSuccess: () => resolve(up.url ?? ''),
      onProgress: (sent) => {
        if (aborted || options.abortAt === undefined || sent < options.abortAt) return;
        aborted = true;
        void up.abort().then(() => setTimeout(() => up.start(), 50));
      },
    });
    up.start();
  });
}

/** The upload id at the end of an upload URL. */
export const uploadIdOf = (url: string): string => url.split('/').pop() ?? '';
