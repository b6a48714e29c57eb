import type { Readable } from 'node:stream';
import { DetailedError, Upload, type HttpRequest } from 'tus-js-client';
import { ApiError, ConsoleError } from './errors';

// One resumable upload over tus 1.0. The bytes are already ciphertext; no Upload-Metadata is sent
// and nothing is kept on disk. Creating may cost a proof of work; resuming does not.

export const UPLOAD_CHUNK_BYTES = 8 * 1024 * 1024;
// A dropped Tor circuit is the common failure: keep trying for about a minute and a half.
export const UPLOAD_RETRY_DELAYS = [0, 1_000, 3_000, 5_000, 10_000, 20_000, 30_000];

export interface TusUploadOptions {
  endpoint: string;
  /** Exact ciphertext length (crypto encryptedFileSize of the plaintext size). */
  size: number;
  onProgress?: (sent: number, total: number) => void;
  retryDelays?: number[];
  /**
   * The Sori-Pow header for the creation POST (console/pow.ts powHeaderIfAsked), called once per
   * POST: a solution is spent once, so a retried creation solves again.
   */
  powHeader?: () => Promise<Record<string, string>>;
}

/** The upload id: the last path segment of the Location the server answered. */
export function uploadIdOf(url: string): string {
  const id = new URL(url).pathname.split('/').filter(Boolean).pop() ?? '';
  if (!/^[0-9a-f-]{36}$/i.test(id))
    throw new ConsoleError('UPLOAD_FAILED', 'The server answered an upload address without an id');
  return id.toLowerCase();
}

function refuseMetadata(req: HttpRequest): void {
  if ((req.getHeader('Upload-Metadata') ?? '') !== '')
    throw new ConsoleError('UPLOAD_METADATA', 'Refusing to send Upload-Metadata');
}

function toConsoleError(err: Error): ConsoleError {
  if (err instanceof ConsoleError) return err;
  // Thrown by onBeforeRequest (a refused header, a proof of work that could not be fetched).
  if (err instanceof DetailedError && err.causingError instanceof ConsoleError)
    return err.causingError;
  const res = err instanceof DetailedError ? err.originalResponse : null;
  if (res) {
    try {
      const json = JSON.parse(res.getBody()) as { error?: { code?: string; message?: string } };
      if (typeof json.error?.code === 'string')
        return new ApiError(
          json.error.code,
          res.getStatus(),
          json.error.message ?? 'Upload refused',
        );
    } catch {
      // not JSON: the status alone
    }
    return new ApiError(`HTTP_${res.getStatus()}`, res.getStatus(), 'The upload was refused');
  }
  return new ConsoleError('UPLOAD_FAILED', 'The upload could not be completed; try again later');
}

/**
 * Streams `source` (a Readable of ciphertext) to the server in PATCHes of 8 MiB. tus-js-client
 * keeps the current chunk, so after a dropped connection it asks the server's offset (HEAD)
 * and resumes from there within this run. Resolves to the upload id.
 */
export function tusUpload(source: Readable, o: TusUploadOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    // The Node build reads a Readable (lib.es5/node/fileReader.js); its d.ts omits that case.
    const input = source as unknown as Buffer;
    const upload: Upload = new Upload(input, {
      endpoint: o.endpoint,
      uploadSize: o.size,
      chunkSize: UPLOAD_CHUNK_BYTES,
      retryDelays: o.retryDelays ?? UPLOAD_RETRY_DELAYS,
      metadata: {},
      metadataForPartialUploads: {},
      parallelUploads: 1,
      storeFingerprintForResuming: false,
      onBeforeRequest: async (req) => {
        refuseMetadata(req);
        if (req.getMethod() !== 'POST' || !o.powHeader) return;
        for (const [name, value] of Object.entries(await o.powHeader())) req.setHeader(name, value);
      },
      onProgress: (sent, total) => o.onProgress?.(sent, total),
      onError: (err) => {
        source.destroy();
        reject(toConsoleError(err));
      },
      onSuccess: () => {
        try {
          resolve(uploadIdOf(upload.url ?? ''));
        } catch (err) {
          reject(err as Error);
        }
      },
    });
    upload.start();
  });
}
