/**
 * tests/vectors/crypto-v1.json recomputed IN THE BROWSER with the bundled crypto/ (the same
 * checks as tests/unit/crypto/vectors.test.ts): equal bytes prove the page's envelopes are
 * the ones the server, the worker and the console read. Bundled only by the browser tests.
 */
import * as c from '../crypto/portable';
import { encodePaddedJson, encryptObjectWithNonce, objectAd } from '../crypto/aead';
import { encryptKeyFileWith } from '../crypto/keyfile';

/* eslint-disable @typescript-eslint/no-explicit-any -- the vector file is untyped JSON */
type Check = [name: string, actual: unknown, expected: unknown];

const h = (s: string): Uint8Array => c.fromHex(s);
const hex = (b: Uint8Array): string => c.toHex(b);
const json = (v: unknown): string => JSON.stringify(v);
/** files[].plaintext: byte i = (i * 31 + 7) mod 256 (tests/vectors/vector-inputs.ts). */
const filePlaintext = (n: number): Uint8Array =>
  Uint8Array.from({ length: n }, (_, i) => (i * 31 + 7) & 0xff);

function checks(V: any): Check[] {
  const out: Check[] = [['format', `${V.format}/${V.v}`, 'sori-crypto-vectors/1']];
  for (const t of V.sha256) out.push(['sha256', c.sha256Hex(t.inputUtf8), t.sha256]);
  const s = c.sha256Stream();
  for (const ch of V.sha256Stream.chunksUtf8) s.update(c.utf8(ch));
  out.push(['sha256Stream', s.digestHex(), V.sha256Stream.sha256]);

  const b = c.generateBoxKeyPair(h(V.boxKey.seed));
  out.push(['boxKey.publicKey', hex(b.publicKey), V.boxKey.publicKey]);
  out.push(['boxKey.secretKey', hex(b.secretKey), V.boxKey.secretKey]);
  out.push(['keyId', c.keyId(b.publicKey), V.boxKey.keyId]);
  out.push(['fingerprint', c.fingerprint(b.publicKey), V.boxKey.fingerprint]);
  const sk = c.generateSignKeyPair(h(V.signKey.seed));
  out.push(['signKey', hex(sk.secretKey), V.signKey.secretKey]);
  for (const k of V.kdf)
    out.push([`kdf.${k.name}`, hex(c.deriveSubKey(h(k.key), k.subkeyId, k.context)), k.subkey]);

  for (const o of V.objects) {
    out.push(['object.ad', hex(objectAd(o.kind, o.ids)), o.ad]);
    const blob = encryptObjectWithNonce(
      h(o.key),
      o.kind,
      o.ids,
      c.utf8(o.plaintextUtf8),
      h(o.nonce),
    );
    out.push([`object.${o.kind}`, hex(blob), o.blob]);
  }
  const j = V.json;
  out.push(['json.padded', hex(encodePaddedJson(JSON.parse(j.valueJson))), j.padded]);
  const jb = encryptObjectWithNonce(h(j.key), j.kind, j.ids, h(j.padded), h(j.nonce));
  out.push(['json.blob', hex(jb), j.blob]);
  out.push([
    'json.open',
    json(c.decryptJson(h(j.key), j.kind, j.ids[0], h(j.blob))),
    json(JSON.parse(j.valueJson)),
  ]);

  const sg = c.generateSignKeyPair(h(V.signature.seed));
  out.push([
    'signature',
    hex(c.sign(c.utf8(V.signature.messageUtf8), sg.secretKey)),
    V.signature.signature,
  ]);
  out.push([
    'login',
    hex(c.signChallenge(h(V.loginChallenge.nonce), sg.secretKey)),
    V.loginChallenge.signature,
  ]);
  for (const p of V.padme) {
    out.push([`padme(${p.n})`, c.padmeLength(p.n), p.padmeLength]);
    out.push([`encryptedFileSize(${p.n})`, c.encryptedFileSize(p.n), p.encryptedFileSize]);
  }
  for (const f of V.files) {
    out.push([`file(${f.size}).length`, h(f.ciphertext).length, f.encryptedSize]);
    const d = new c.FileDecryptor(h(f.key));
    const pt = c.concatBytes(...d.write(h(f.ciphertext)), ...d.end());
    out.push([`file(${f.size})`, hex(pt), hex(filePlaintext(f.size))]);
  }
  return out.concat(openOnly(V));
}

function openOnly(V: any): Check[] {
  const out: Check[] = [];
  const box = c.generateBoxKeyPair(h(V.sealedKey.recipientSeed));
  out.push(['sealedKey', hex(c.openSealedKey(h(V.sealedKey.sealed), box)), V.sealedKey.key]);
  const intake = c.generateBoxKeyPair(h(V.submission.intakeSeed));
  const sub = c.openSubmission(V.submission.envelope, intake);
  out.push(['submission.manifest', json(sub.manifest), json(V.submission.manifest)]);
  out.push(['submission.contentKey', hex(sub.contentKey), V.submission.contentKey]);
  const token = c.fromBase64(V.submission.envelope.sourceToken);
  out.push(['submission.tokenHash', hex(c.hashSourceToken(token)), V.submission.sourceTokenHash]);
  const r = V.record;
  const rk = c.unwrapRecordKey(h(r.wrapped), c.generateBoxKeyPair(h(r.reviewerSeed)));
  out.push(['record.body', json(c.decryptRecordBody(rk, r.recordId, h(r.bodyBlob))), json(r.body)]);
  out.push([
    'record.entry',
    json(c.decryptEntry(rk, r.recordId, r.entryId, h(r.entryBlob))),
    json(r.entry),
  ]);

  // The real Argon2id parameters, as a phone runs them.
  const k = c.deriveSourceKeys(V.receipt.input);
  out.push(['receipt.normalised', c.normaliseReceipt(V.receipt.input), V.receipt.normalised]);
  out.push(['receipt.publicKey', hex(k.keyPair.publicKey), V.receipt.publicKey]);
  out.push(['receipt.token', hex(k.token), V.receipt.token]);
  out.push(['receipt.tokenHash', hex(k.tokenHash), V.receipt.tokenHash]);
  out.push(['reply', json(c.openReply(h(V.reply.sealed), k.keyPair)), json(V.reply.message)]);
  const f = V.keyfile;
  const keys = {
    box: c.generateBoxKeyPair(h(f.boxSeed)),
    sign: c.generateSignKeyPair(h(f.signSeed)),
  };
  const params = { opsLimit: f.opsLimit, memLimit: f.memLimit };
  out.push([
    'keyfile',
    encryptKeyFileWith(keys, f.passphrase, params, h(f.salt), h(f.nonce)),
    f.text,
  ]);
  return out;
}

/** tests/vectors/crypto-files-v2.json: file format v2 opens here too (the server writes it). */
function filesV2(F: any): Check[] {
  const out: Check[] = [['format.files', `${F.format}/${F.v}`, 'sori-file-vectors/2']];
  for (const s of F.sizes)
    out.push([`encryptedFileSizeV2(${s.n})`, c.encryptedFileSizeV2(s.n), s.encryptedSize]);
  for (const f of F.files) {
    const d = new c.FileDecryptor(h(f.key));
    const pt = c.concatBytes(...d.write(h(f.ciphertext)), ...d.end());
    out.push([`fileV2(${f.size})`, hex(pt), hex(filePlaintext(f.size))]);
  }
  return out;
}

async function run(): Promise<void> {
  await c.initCrypto();
  const V: unknown = await (await fetch('/crypto-v1.json')).json();
  const F: unknown = await (await fetch('/crypto-files-v2.json')).json();
  const results = [...checks(V), ...filesV2(F)].map(([name, actual, expected]) => ({
    name,
    ok: actual === expected,
    actual,
    expected,
  }));
  (window as unknown as { soriVectors: unknown }).soriVectors = { results };
}

run().catch((err: unknown) => {
  (window as unknown as { soriVectors: unknown }).soriVectors = { error: String(err) };
});
