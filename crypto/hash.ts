/** SHA-256 everywhere evidence is hashed: it is what courts and investigators can re-check. */
import { toHex, utf8, type Bytes } from './encoding';
import { CryptoError } from './errors';
import { sha256Init, sha256Raw } from './sodium';

const asBytes = (data: Bytes | string): Bytes => (typeof data === 'string' ? utf8(data) : data);

export function sha256(data: Bytes | string): Bytes {
  return sha256Raw(asBytes(data));
}

export function sha256Hex(data: Bytes | string): string {
  return toHex(sha256(data));
}

/** Incremental SHA-256 for files too large to hold; digestHex() may be called once. */
export function sha256Stream(): { update(chunk: Bytes): void; digestHex(): string } {
  const state = sha256Init();
  let done = false;
  return {
    update(chunk: Bytes): void {
      if (done) throw new CryptoError('CRYPTO_BAD_FORMAT', 'sha256Stream already finalised');
      state.update(chunk);
    },
    digestHex(): string {
      if (done) throw new CryptoError('CRYPTO_BAD_FORMAT', 'sha256Stream already finalised');
      done = true;
      return toHex(state.final());
    },
  };
}
