// Replies to a source: 0x01 || sealed reply key (81 bytes) || padded JSON object. The AD id is the
// source key's id, so a reply cannot be re-addressed to another source's key.
import { decryptJson, encryptJson, OBJECT_OVERHEAD, JSON_PAD_BLOCK } from './aead';
import { concatBytes, randomBytes, type Bytes } from './encoding';
import { expectLength } from './errors';
import {
  KDF,
  SEALED_KEY_BYTES,
  VERSION_1,
  checkVersionedBlob,
  keyId,
  openSealedKey,
  sealKey,
  type BoxKeyPair,
} from './keys';
import { KEY_BYTES, kdfDerive } from './sodium';

const REPLY_MIN_BYTES = 1 + SEALED_KEY_BYTES + OBJECT_OVERHEAD + JSON_PAD_BLOCK;

export function sealToSource(sourcePublicKey: Bytes, message: unknown): Bytes {
  expectLength(sourcePublicKey, KEY_BYTES, 'source public key');
  const key = randomBytes(KEY_BYTES);
  const sub = kdfDerive(key, KDF.reply.id, KDF.reply.context);
  const body = encryptJson(sub, 'reply', keyId(sourcePublicKey), message);
  return concatBytes(Uint8Array.of(VERSION_1), sealKey(key, sourcePublicKey), body);
}

export function openReply<T = unknown>(sealedReply: Bytes, source: BoxKeyPair): T {
  checkVersionedBlob(sealedReply, REPLY_MIN_BYTES, 'reply');
  const key = openSealedKey(sealedReply.subarray(1, 1 + SEALED_KEY_BYTES), source);
  const sub = kdfDerive(key, KDF.reply.id, KDF.reply.context);
  return decryptJson<T>(
    sub,
    'reply',
    keyId(source.publicKey),
    sealedReply.subarray(1 + SEALED_KEY_BYTES),
  );
}

/** Alias kept for the name in the original interface list. */
export const openFromSource = openReply;
