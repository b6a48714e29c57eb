// The part of sodium-native (5.x) that crypto/sodium-native.ts calls: functions write into
// caller buffers; open/verify return false on failure, AEAD and secretstream ones throw.
declare module 'sodium-native' {
  type B = Uint8Array;
  const sodium: {
    crypto_aead_xchacha20poly1305_ietf_KEYBYTES: number;
    crypto_aead_xchacha20poly1305_ietf_NPUBBYTES: number;
    crypto_aead_xchacha20poly1305_ietf_ABYTES: number;
    crypto_box_SEALBYTES: number;
    crypto_box_MACBYTES: number;
    crypto_pwhash_SALTBYTES: number;
    crypto_pwhash_OPSLIMIT_MIN: number;
    crypto_pwhash_MEMLIMIT_MIN: number;
    crypto_pwhash_ALG_ARGON2ID13: number;
    crypto_sign_BYTES: number;
    crypto_secretstream_xchacha20poly1305_STATEBYTES: number;
    crypto_secretstream_xchacha20poly1305_HEADERBYTES: number;
    crypto_secretstream_xchacha20poly1305_ABYTES: number;
    crypto_secretstream_xchacha20poly1305_TAG_MESSAGE: number;
    crypto_secretstream_xchacha20poly1305_TAG_PUSH: number;
    crypto_secretstream_xchacha20poly1305_TAG_FINAL: number;
    randombytes_buf(buf: B): void;
    randombytes_uniform(upper: number): number;
    sodium_memzero(buf: B): void;
    sodium_memcmp(a: B, b: B): boolean;
    crypto_generichash(out: B, input: B, key?: B): void;
    crypto_box_keypair(pk: B, sk: B): void;
    crypto_box_seed_keypair(pk: B, sk: B, seed: B): void;
    crypto_scalarmult_base(q: B, n: B): void;
    crypto_box_seal(c: B, m: B, pk: B): void;
    crypto_box_easy(c: B, m: B, n: B, pk: B, sk: B): void;
    crypto_box_seal_open(m: B, c: B, pk: B, sk: B): boolean;
    crypto_kdf_derive_from_key(subkey: B, subkeyId: number, ctx: B, key: B): void;
    crypto_aead_xchacha20poly1305_ietf_encrypt(
      c: B,
      m: B,
      ad: B | null,
      nsec: null,
      npub: B,
      k: B,
    ): number;
    crypto_aead_xchacha20poly1305_ietf_decrypt(
      m: B,
      nsec: null,
      c: B,
      ad: B | null,
      npub: B,
      k: B,
    ): number;
    crypto_secretbox_easy(c: B, m: B, n: B, k: B): void;
    crypto_secretbox_open_easy(m: B, c: B, n: B, k: B): boolean;
    crypto_pwhash(
      out: B,
      passwd: B,
      salt: B,
      opslimit: number,
      memlimit: number,
      alg: number,
    ): void;
    crypto_sign_keypair(pk: B, sk: B): void;
    crypto_sign_seed_keypair(pk: B, sk: B, seed: B): void;
    crypto_sign_detached(sig: B, m: B, sk: B): void;
    crypto_sign_verify_detached(sig: B, m: B, pk: B): boolean;
    crypto_secretstream_xchacha20poly1305_init_push(state: B, header: B, k: B): void;
    crypto_secretstream_xchacha20poly1305_push(
      state: B,
      c: B,
      m: B,
      ad: B | null,
      tag: number,
    ): number;
    crypto_secretstream_xchacha20poly1305_init_pull(state: B, header: B, k: B): void;
    crypto_secretstream_xchacha20poly1305_pull(state: B, m: B, tag: B, c: B, ad: B | null): number;
  };
  export = sodium;
}
