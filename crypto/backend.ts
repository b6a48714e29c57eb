// What a libsodium build must provide: the raw primitives crypto/ uses, nothing more. sodium.ts
// checks every argument in front of both builds (sodium-wasm.ts, sodium-native.ts).

export type BackendName = 'native' | 'wasm';

/** An open secretstream state: opaque, owned by the backend that made it. */
export type StreamState = object & { readonly __secretstream?: never };

export interface Sha256State {
  update(chunk: Uint8Array): void;
  final(): Uint8Array;
}

/** Constants the protocol fixes; sodium.ts refuses a build whose values differ. */
export interface BackendConstants {
  aeadKeyBytes: number;
  aeadNonceBytes: number;
  aeadABytes: number;
  sealBytes: number;
  pwhashSaltBytes: number;
  pwhashOpsLimitMin: number;
  pwhashMemLimitMin: number;
  signBytes: number;
  streamHeaderBytes: number;
  streamABytes: number;
  tagMessage: number;
  tagPush: number;
  tagFinal: number;
}

/**
 * Inputs arrive checked (lengths, ranges). Authentication failures return null, never throw:
 * sodium.ts turns them into CRYPTO_DECRYPT_FAILED for both builds alike.
 */
export interface SodiumBackend {
  readonly name: BackendName;
  readonly constants: BackendConstants;
  randomBytes(n: number): Uint8Array;
  randomUniform(upper: number): number;
  toBase64(b: Uint8Array): string;
  fromBase64(s: string): Uint8Array;
  toHex(b: Uint8Array): string;
  fromHex(s: string): Uint8Array;
  sha256(b: Uint8Array): Uint8Array;
  sha256Init(): Sha256State;
  memzero(b: Uint8Array): void;
  blake2b(outLen: number, m: Uint8Array, key: Uint8Array | null): Uint8Array;
  /** Constant time; lengths are equal. */
  memcmp(a: Uint8Array, b: Uint8Array): boolean;
  boxKeyPair(seed?: Uint8Array): { publicKey: Uint8Array; secretKey: Uint8Array };
  scalarMultBase(secretKey: Uint8Array): Uint8Array;
  boxSeal(m: Uint8Array, publicKey: Uint8Array): Uint8Array;
  /** crypto_box_easy: MAC || ciphertext under X25519(secretKey, publicKey) and the nonce. */
  boxEasy(
    m: Uint8Array,
    nonce: Uint8Array,
    publicKey: Uint8Array,
    secretKey: Uint8Array,
  ): Uint8Array;
  boxSealOpen(c: Uint8Array, publicKey: Uint8Array, secretKey: Uint8Array): Uint8Array | null;
  kdfDerive(key: Uint8Array, subkeyId: number, context: string): Uint8Array;
  aeadEncrypt(m: Uint8Array, ad: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array;
  aeadDecrypt(c: Uint8Array, ad: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array | null;
  secretboxEncrypt(m: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array;
  secretboxDecrypt(c: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array | null;
  argon2id(
    len: number,
    password: Uint8Array,
    salt: Uint8Array,
    ops: number,
    mem: number,
  ): Uint8Array;
  signKeyPair(seed?: Uint8Array): { publicKey: Uint8Array; secretKey: Uint8Array };
  signSeedOf(secretKey: Uint8Array): Uint8Array;
  signDetached(m: Uint8Array, secretKey: Uint8Array): Uint8Array;
  verifyDetached(sig: Uint8Array, m: Uint8Array, publicKey: Uint8Array): boolean;
  pad(b: Uint8Array, block: number): Uint8Array;
  /** null when the padding is not ISO/IEC 7816-4 within the last block. */
  unpad(b: Uint8Array, block: number): Uint8Array | null;
  streamInitPush(key: Uint8Array): { state: StreamState; header: Uint8Array };
  streamPush(state: StreamState, m: Uint8Array, tag: number): Uint8Array;
  streamInitPull(header: Uint8Array, key: Uint8Array): StreamState | null;
  streamPull(state: StreamState, c: Uint8Array): { message: Uint8Array; tag: number } | null;
}
