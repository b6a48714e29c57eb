import { FileEncryptor, sha256Stream, type Bytes } from '../crypto/portable';

// A file read in 1 MiB slices through the protocol's file cipher (64 KiB frames), each slice a
// Blob part the browser may page out. All of the ciphertext exists before the upload starts, so
// tus can resume from any offset the server reports; encrypting on the fly could not replay it.
const SLICE_BYTES = 1024 * 1024;

export interface EncryptedFile {
  blob: Blob;
  /** SHA-256 of the plaintext, for the manifest (what reviewers re-check). */
  sha256: string;
}

const part = (chunks: Bytes[]): Blob => new Blob(chunks as BlobPart[]);

export async function encryptFile(
  file: Blob,
  key: Bytes,
  onProgress: (fraction: number) => void,
): Promise<EncryptedFile> {
  const enc = new FileEncryptor(key, file.size);
  const hash = sha256Stream();
  const parts: Blob[] = [part([enc.header])];
  for (let offset = 0; offset < file.size; offset += SLICE_BYTES) {
    const plain = new Uint8Array(await file.slice(offset, offset + SLICE_BYTES).arrayBuffer());
    hash.update(plain);
    parts.push(part(enc.write(plain)));
    onProgress(Math.min(1, (offset + plain.length) / Math.max(1, file.size)));
  }
  parts.push(part(enc.end()));
  onProgress(1);
  return { blob: new Blob(parts), sha256: hash.digestHex() };
}
