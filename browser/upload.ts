import { Upload } from 'tus-js-client';
import { powHeader } from './api';

// tus upload of one encrypted file: no Upload-Metadata and nothing in localStorage (BROWSER.md
// says why), so a resume lasts only as long as this page. Each creation (POST) solves its own
// proof of work when asked, a solution being spent once; resuming (HEAD, PATCH) costs nothing.
const CHUNK_BYTES = 2 * 1024 * 1024;
const RETRY_DELAYS_MS = [0, 1000, 3000, 5000, 10000, 20000, 30000, 60000];

const noStorage: NonNullable<Upload['options']['urlStorage']> = {
  findAllUploads: () => Promise.resolve([]),
  findUploadsByFingerprint: () => Promise.resolve([]),
  removeUpload: () => Promise.resolve(),
  addUpload: () => Promise.resolve(''),
};

/** Resolves with the upload id the submission envelope lists. */
export function uploadEncrypted(
  blob: Blob,
  onProgress: (sent: number, total: number) => void,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const upload = new Upload(blob, {
      endpoint: new URL('/v1/uploads', window.location.href).href,
      uploadSize: blob.size,
      chunkSize: CHUNK_BYTES,
      metadata: {},
      retryDelays: RETRY_DELAYS_MS,
      storeFingerprintForResuming: false,
      removeFingerprintOnSuccess: true,
      urlStorage: noStorage,
      onBeforeRequest: async (req) => {
        if (req.getMethod() !== 'POST') return;
        for (const [name, value] of Object.entries(await powHeader())) req.setHeader(name, value);
      },
      onProgress,
      onError: reject,
      onSuccess: () => {
        const id = new URL(upload.url ?? '', window.location.href).pathname.split('/').pop();
        if (id) resolve(id);
        else reject(new Error('upload has no id'));
      },
    });
    upload.start();
  });
}
