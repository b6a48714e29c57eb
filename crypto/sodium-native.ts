// The sodium-native backend, the only file that imports sodium-native (Node only, loaded by
// backend-node.ts). SHA-256 comes from node:crypto (sha256-node.ts).
import sodium from 'sodium-native';
import type { SodiumBackend, StreamState } from './backend';
import { nodeSha256 } from './sha256-node';

const bytes = (n: number): Uint8Array => new Uint8Array(n);
const asBuffer = (b: Uint8Array): Buffer => Buffer.from(b.buffer, b.byteOffset, b.byteLength);
const fromBuffer = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

/** Native calls throw (assert or a failed tag) where libsodium.js would; the contract is null. */
function orNull<T>(f: () => T): T | null {
  try {
    return f();
  } catch {
    return null;
  }
}

/**
 * sodium_unpad's answer, in JavaScript: sodium-native 5.1 drops libsodium's return code and
 * hands back an undefined length for bad padding instead of failing. Not constant time, unlike
 * libsodium's: every caller unpads authenticated plaintext, whose length the JSON decoding after
 * it takes time in proportion to anyway (a 4 KiB block costs ~11 µs in constant time, ~2 here).
 */
function unpad(buf: Uint8Array, block: number): Uint8Array | null {
  if (block <= 0 || buf.length < block) return null;
  const first = buf.length - block;
  let i = buf.length - 1;
  while (i > first && buf[i] === 0) i--;
  return buf[i] === 0x80 ? buf.slice(0, i) : null;
}

type NativeState = Uint8Array;
const STATE_BYTES = sodium.crypto_secretstream_xchacha20poly1305_STATEBYTES;
const STREAM_A = sodium.crypto_secretstream_xchacha20poly1305_ABYTES;
const BOX_MACBYTES = sodium.crypto_box_MACBYTES;

export const nativeBackend: SodiumBackend = {
  name: 'native',
  constants: {
    aeadKeyBytes: sodium.crypto_aead_xchacha20poly1305_ietf_KEYBYTES,
    aeadNonceBytes: sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
    aeadABytes: sodium.crypto_aead_xchacha20poly1305_ietf_ABYTES,
    sealBytes: sodium.crypto_box_SEALBYTES,
    pwhashSaltBytes: sodium.crypto_pwhash_SALTBYTES,
    pwhashOpsLimitMin: sodium.crypto_pwhash_OPSLIMIT_MIN,
    pwhashMemLimitMin: sodium.crypto_pwhash_MEMLIMIT_MIN,
    signBytes: sodium.crypto_sign_BYTES,
    streamHeaderBytes: sodium.crypto_secretstream_xchacha20poly1305_HEADERBYTES,
    streamABytes: STREAM_A,
    tagMessage: sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE,
    tagPush: sodium.crypto_secretstream_xchacha20poly1305_TAG_PUSH,
    tagFinal: sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL,
  },
  randomBytes(n) {
    const out = bytes(n);
    sodium.randombytes_buf(out);
    return out;
  },
  randomUniform: (upper) => sodium.randombytes_uniform(upper),
  toBase64: (b) => asBuffer(b).toString('base64url'),
  fromBase64: (s) => fromBuffer(Buffer.from(s, 'base64url')),
  toHex: (b) => asBuffer(b).toString('hex'),
  fromHex: (s) => fromBuffer(Buffer.from(s, 'hex')),
  ...nodeSha256,
  memzero: (b) => sodium.sodium_memzero(b),
  blake2b(outLen, m, key) {
    const out = bytes(outLen);
    sodium.crypto_generichash(out, m, key ?? undefined);
    return out;
  },
  memcmp: (a, b) => sodium.sodium_memcmp(a, b),
  boxKeyPair(seed) {
    const publicKey = bytes(32);
    const secretKey = bytes(32);
    if (seed) sodium.crypto_box_seed_keypair(publicKey, secretKey, seed);
    else sodium.crypto_box_keypair(publicKey, secretKey);
    return { publicKey, secretKey };
  },
  scalarMultBase(sk) {
    const out = bytes(32);
    sodium.crypto_scalarmult_base(out, sk);
    return out;
  },
  boxSeal(m, pk) {
    const c = bytes(m.length + sodium.crypto_box_SEALBYTES);
    sodium.crypto_box_seal(c, m, pk);
    return c;
  },
  boxEasy(m, n, pk, sk) {
    const c = bytes(m.length + BOX_MACBYTES);
    sodium.crypto_box_easy(c, m, n, pk, sk);
    return c;
  },
  boxSealOpen(c, pk, sk) {
    if (c.length < sodium.crypto_box_SEALBYTES) return null;
    const m = bytes(c.length - sodium.crypto_box_SEALBYTES);
    return sodium.crypto_box_seal_open(m, c, pk, sk) ? m : null;
  },
  kdfDerive(key, id, context) {
    const out = bytes(32);
    sodium.crypto_kdf_derive_from_key(out, id, Buffer.from(context, 'latin1'), key);
    return out;
  },
  aeadEncrypt(m, ad, nonce, key) {
    const c = bytes(m.length + sodium.crypto_aead_xchacha20poly1305_ietf_ABYTES);
    sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(c, m, ad, null, nonce, key);
    return c;
  },
  aeadDecrypt(c, ad, nonce, key) {
    const a = sodium.crypto_aead_xchacha20poly1305_ietf_ABYTES;
    if (c.length < a) return null;
    const m = bytes(c.length - a);
    return orNull(() => {
      sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(m, null, c, ad, nonce, key);
      return m;
    });
  },
  secretboxEncrypt(m, nonce, key) {
    const c = bytes(m.length + 16);
    sodium.crypto_secretbox_easy(c, m, nonce, key);
    return c;
  },
  secretboxDecrypt(c, nonce, key) {
    if (c.length < 16) return null;
    const m = bytes(c.length - 16);
    return sodium.crypto_secretbox_open_easy(m, c, nonce, key) ? m : null;
  },
  argon2id(len, password, salt, ops, mem) {
    const out = bytes(len);
    sodium.crypto_pwhash(out, password, salt, ops, mem, sodium.crypto_pwhash_ALG_ARGON2ID13);
    return out;
  },
  signKeyPair(seed) {
    const publicKey = bytes(32);
    const secretKey = bytes(64);
    if (seed) sodium.crypto_sign_seed_keypair(publicKey, secretKey, seed);
    else sodium.crypto_sign_keypair(publicKey, secretKey);
    return { publicKey, secretKey };
  },
  // libsodium's Ed25519 secret key is seed || public key; crypto_sign_ed25519_sk_to_seed (not
  // bound by the addon) copies those first 32 bytes, as this does.
  signSeedOf: (sk) => sk.slice(0, 32),
  signDetached(m, sk) {
    const sig = bytes(sodium.crypto_sign_BYTES);
    sodium.crypto_sign_detached(sig, m, sk);
    return sig;
  },
  verifyDetached: (sig, m, pk) => sodium.crypto_sign_verify_detached(sig, m, pk),
  // sodium_pad's bytes (0x80, then zeros to the block), without its constant-time loop over
  // the block (~10 µs per 4 KiB): see unpad for why timing does not matter here.
  pad(b, block) {
    const out = bytes(b.length + block - (b.length % block));
    out.set(b);
    out[b.length] = 0x80;
    return out;
  },
  unpad,
  streamInitPush(key) {
    const state = bytes(STATE_BYTES);
    const header = bytes(sodium.crypto_secretstream_xchacha20poly1305_HEADERBYTES);
    sodium.crypto_secretstream_xchacha20poly1305_init_push(state, header, key);
    return { state: state as StreamState, header };
  },
  streamPush(state, m, tag) {
    const c = bytes(m.length + STREAM_A);
    sodium.crypto_secretstream_xchacha20poly1305_push(state as NativeState, c, m, null, tag);
    return c;
  },
  streamInitPull(header, key) {
    const state = bytes(STATE_BYTES);
    return orNull(() => {
      sodium.crypto_secretstream_xchacha20poly1305_init_pull(state, header, key);
      return state as StreamState;
    });
  },
  streamPull(state, c) {
    if (c.length < STREAM_A) return null;
    const message = bytes(c.length - STREAM_A);
    const tag = bytes(1);
    return orNull(() => {
      sodium.crypto_secretstream_xchacha20poly1305_pull(
        state as NativeState,
        message,
        tag,
        c,
        null,
      );
      return { message, tag: tag[0]! };
    });
  },
};
