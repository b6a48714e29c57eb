// The libsodium.js (WASM) backend, the only file that imports libsodium-wrappers-sumo: the
// browser's only build, and Node's when the native addon is off or cannot load.
import sodium from 'libsodium-wrappers-sumo';
import type { SodiumBackend, Sha256State, StreamState } from './backend';
import { installRandomPool } from './random-pool';

/** libsodium.js throws a plain Error on a failed authentication; the backend contract is null. */
function orNull<T>(f: () => T | false): T | null {
  try {
    const out = f();
    return out === false ? null : out;
  } catch {
    return null;
  }
}

type WasmState = ReturnType<typeof sodium.crypto_secretstream_xchacha20poly1305_init_push>['state'];
const B64 = (): number => sodium.base64_variants.URLSAFE_NO_PADDING;

function create(): SodiumBackend {
  const s = sodium;
  return {
    name: 'wasm',
    constants: {
      aeadKeyBytes: s.crypto_aead_xchacha20poly1305_ietf_KEYBYTES,
      aeadNonceBytes: s.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
      aeadABytes: s.crypto_aead_xchacha20poly1305_ietf_ABYTES,
      sealBytes: s.crypto_box_SEALBYTES,
      pwhashSaltBytes: s.crypto_pwhash_SALTBYTES,
      pwhashOpsLimitMin: s.crypto_pwhash_OPSLIMIT_MIN,
      pwhashMemLimitMin: s.crypto_pwhash_MEMLIMIT_MIN,
      signBytes: s.crypto_sign_BYTES,
      streamHeaderBytes: s.crypto_secretstream_xchacha20poly1305_HEADERBYTES,
      streamABytes: s.crypto_secretstream_xchacha20poly1305_ABYTES,
      tagMessage: s.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE,
      tagPush: s.crypto_secretstream_xchacha20poly1305_TAG_PUSH,
      tagFinal: s.crypto_secretstream_xchacha20poly1305_TAG_FINAL,
    },
    randomBytes: (n) => s.randombytes_buf(n),
    randomUniform: (upper) => s.randombytes_uniform(upper),
    toBase64: (b) => s.to_base64(b, B64()),
    fromBase64: (str) => s.from_base64(str, B64()),
    toHex: (b) => s.to_hex(b),
    fromHex: (str) => s.from_hex(str),
    sha256: (b) => s.crypto_hash_sha256(b),
    sha256Init(): Sha256State {
      const state = s.crypto_hash_sha256_init();
      return {
        update: (chunk) => s.crypto_hash_sha256_update(state, chunk),
        final: () => s.crypto_hash_sha256_final(state),
      };
    },
    memzero: (b) => s.memzero(b),
    blake2b: (outLen, m, key) => s.crypto_generichash(outLen, m, key),
    memcmp: (a, b) => s.memcmp(a, b),
    boxKeyPair(seed) {
      const kp = seed ? s.crypto_box_seed_keypair(seed) : s.crypto_box_keypair();
      return { publicKey: kp.publicKey, secretKey: kp.privateKey };
    },
    scalarMultBase: (sk) => s.crypto_scalarmult_base(sk),
    boxSeal: (m, pk) => s.crypto_box_seal(m, pk),
    boxEasy: (m, nonce, pk, sk) => s.crypto_box_easy(m, nonce, pk, sk),
    boxSealOpen: (c, pk, sk) => orNull(() => s.crypto_box_seal_open(c, pk, sk)),
    kdfDerive: (key, id, context) => s.crypto_kdf_derive_from_key(32, id, context, key),
    aeadEncrypt: (m, ad, nonce, key) =>
      s.crypto_aead_xchacha20poly1305_ietf_encrypt(m, ad, null, nonce, key),
    aeadDecrypt: (c, ad, nonce, key) =>
      orNull(() => s.crypto_aead_xchacha20poly1305_ietf_decrypt(null, c, ad, nonce, key)),
    secretboxEncrypt: (m, nonce, key) => s.crypto_secretbox_easy(m, nonce, key),
    secretboxDecrypt: (c, nonce, key) => orNull(() => s.crypto_secretbox_open_easy(c, nonce, key)),
    argon2id: (len, password, salt, ops, mem) =>
      s.crypto_pwhash(len, password, salt, ops, mem, s.crypto_pwhash_ALG_ARGON2ID13),
    signKeyPair(seed) {
      const kp = seed ? s.crypto_sign_seed_keypair(seed) : s.crypto_sign_keypair();
      return { publicKey: kp.publicKey, secretKey: kp.privateKey };
    },
    signSeedOf: (sk) => s.crypto_sign_ed25519_sk_to_seed(sk),
    signDetached: (m, sk) => s.crypto_sign_detached(m, sk),
    verifyDetached: (sig, m, pk) => s.crypto_sign_verify_detached(sig, m, pk),
    pad: (b, block) => s.pad(b, block),
    unpad: (b, block) => orNull(() => s.unpad(b, block)),
    streamInitPush(key) {
      const { state, header } = s.crypto_secretstream_xchacha20poly1305_init_push(key);
      return { state: state as StreamState, header };
    },
    streamPush: (state, m, tag) =>
      s.crypto_secretstream_xchacha20poly1305_push(state as WasmState, m, null, tag),
    streamInitPull: (header, key) =>
      orNull(() => s.crypto_secretstream_xchacha20poly1305_init_pull(header, key) as StreamState),
    streamPull: (state, c) =>
      orNull(() => s.crypto_secretstream_xchacha20poly1305_pull(state as WasmState, c, null)),
  };
}

/** Awaits the WASM module, points its randomness at the pooled source, returns the backend. */
export async function loadWasmBackend(): Promise<SodiumBackend> {
  await sodium.ready;
  // libsodium.js exposes its Emscripten module as `libsodium` (untyped).
  installRandomPool(
    (sodium as unknown as { libsodium: { getRandomValue?: () => number } }).libsodium,
  );
  return create();
}
