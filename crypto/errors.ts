// The one error type crypto/ throws. Callers branch on `code` (a closed union), never on the
// message; messages never contain key material or plaintext.
export type CryptoErrorCode =
  | 'CRYPTO_NOT_READY' // initCrypto() has not resolved yet
  | 'CRYPTO_BACKEND_UNAVAILABLE' // SORI_CRYPTO_BACKEND names no build, or native was demanded and cannot load
  | 'CRYPTO_BAD_LENGTH' // a key, nonce, seed, parameter or fixed-size blob has the wrong size
  | 'CRYPTO_BAD_ENCODING' // not strict base64url / hex
  | 'CRYPTO_UNKNOWN_VERSION' // a version byte, "v" field or format tag this code does not speak
  | 'CRYPTO_DECRYPT_FAILED' // authentication failed: wrong key, tampered bytes or other additional data
  | 'CRYPTO_TRUNCATED' // shorter than its fixed overhead, or a stream that ends without FINAL
  | 'CRYPTO_BAD_SIGNATURE' // verifyOrThrow on a signature that does not verify
  | 'CRYPTO_BAD_FORMAT' // authenticated (or public) content that is not what the protocol says
  | 'CRYPTO_BAD_RECEIPT' // a receipt that is not 20 digits
  | 'CRYPTO_WRONG_KEY'; // an envelope names another key id than the one offered to open it

export class CryptoError extends Error {
  readonly code: CryptoErrorCode;

  constructor(code: CryptoErrorCode, message: string) {
    super(message);
    this.name = 'CryptoError';
    this.code = code;
  }
}

export function isCryptoError(e: unknown, code?: CryptoErrorCode): e is CryptoError {
  return e instanceof CryptoError && (code === undefined || e.code === code);
}

/** Throws CRYPTO_BAD_LENGTH unless `b` is a Uint8Array of exactly `n` bytes. */
export function expectLength(b: unknown, n: number, what: string): asserts b is Uint8Array {
  if (!(b instanceof Uint8Array))
    throw new CryptoError('CRYPTO_BAD_LENGTH', `${what} must be a Uint8Array`);
  if (b.length !== n)
    throw new CryptoError('CRYPTO_BAD_LENGTH', `${what} must be ${n} bytes, got ${b.length}`);
}

export function expectBytes(b: unknown, what: string): asserts b is Uint8Array {
  if (!(b instanceof Uint8Array))
    throw new CryptoError('CRYPTO_BAD_FORMAT', `${what} must be a Uint8Array`);
}
