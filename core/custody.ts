import { concatBytes, sha256, sign, toHex, utf8, verify, keyId } from '../crypto';

// The chain of custody: every entry commits to the one before it (prevHash) and is signed by
// the worker, so a database operator can neither drop, reorder nor rewrite an entry without
// `sori verify` noticing. Pure: the worker appends with it, the console verifies with it.

export const CUSTODY_DOMAIN = 'sori-custody-v1';
export const GENESIS_HASH = new Uint8Array(32);

export interface CustodyPayloads {
  'record-created': { submissionId: string; receivedSha256: string; bodySha256: string };
  'translation-added': { entryId: string; entrySha256: string };
}
export type CustodyEvent = keyof CustodyPayloads;

/** What an entry says, before it has a place in the chain. */
export interface CustodyDraft<E extends CustodyEvent = CustodyEvent> {
  recordId: string | null;
  event: E;
  payload: CustodyPayloads[E];
}

export interface CustodyEntry {
  seq: number;
  recordId: string | null;
  event: string;
  /** Hashes and ids only: the log outlives the records it speaks of. */
  payload: Readonly<Record<string, string>>;
  prevHash: Uint8Array;
  entryHash: Uint8Array;
  signerId: string;
  signature: Uint8Array;
}

export interface CustodySigner {
  publicKey: Uint8Array;
  secretKey: Uint8Array;
}

/** JSON with object keys sorted at every level, so one entry has exactly one byte string. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'string' || typeof value === 'boolean')
    return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value))
      throw new TypeError('canonical JSON allows safe integers only');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  throw new TypeError(`canonical JSON cannot encode ${typeof value}`);
}

type Hashed = Pick<CustodyEntry, 'seq' | 'recordId' | 'event' | 'payload' | 'prevHash'>;

/** The bytes that are hashed: the domain tag, then the canonical entry (prevHash as hex). */
export function custodyEntryBytes(entry: Hashed): Uint8Array {
  const body = canonicalJson({
    seq: entry.seq,
    recordId: entry.recordId,
    event: entry.event,
    payload: entry.payload,
    prevHash: toHex(entry.prevHash),
  });
  return concatBytes(utf8(CUSTODY_DOMAIN), utf8(body));
}

export function custodyEntryHash(entry: Hashed): Uint8Array {
  return sha256(custodyEntryBytes(entry));
}

/** Places a draft after `prev` (null for the first entry) and signs its hash. */
export function nextCustodyEntry(
  prev: Pick<CustodyEntry, 'seq' | 'entryHash'> | null,
  draft: CustodyDraft,
  signer: CustodySigner,
): CustodyEntry {
  const hashed: Hashed = {
    seq: prev ? prev.seq + 1 : 1,
    recordId: draft.recordId,
    event: draft.event,
    payload: { ...draft.payload },
    prevHash: prev ? prev.entryHash : GENESIS_HASH,
  };
  const entryHash = custodyEntryHash(hashed);
  return {
    ...hashed,
    entryHash,
    signerId: keyId(signer.publicKey),
    signature: sign(entryHash, signer.secretKey),
  };
}

export type ChainBreakReason = 'seq' | 'prev-hash' | 'entry-hash' | 'unknown-signer' | 'signature';
export type ChainVerdict =
  | { ok: true; count: number; head: string | null }
  | { ok: false; seq: number; reason: ChainBreakReason };

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/**
 * Checks a whole chain in seq order and returns the first break. `signerKeys` maps signer ids
 * to Ed25519 public keys (service_keys rows with purpose 'worker-sign', retired ones included:
 * old entries stay signed by retired keys).
 */
export function verifyChain(
  entries: readonly CustodyEntry[],
  signerKeys: ReadonlyMap<string, Uint8Array>,
): ChainVerdict {
  let prevHash: Uint8Array = GENESIS_HASH;
  let expectedSeq = 1;
  for (const entry of entries) {
    const at = { seq: entry.seq };
    if (entry.seq !== expectedSeq) return { ok: false, ...at, reason: 'seq' };
    if (!equalBytes(entry.prevHash, prevHash)) return { ok: false, ...at, reason: 'prev-hash' };
    if (!equalBytes(custodyEntryHash(entry), entry.entryHash))
      return { ok: false, ...at, reason: 'entry-hash' };
    const signerKey = signerKeys.get(entry.signerId);
    if (!signerKey || keyId(signerKey) !== entry.signerId)
      return { ok: false, ...at, reason: 'unknown-signer' };
    if (!safeVerify(entry.signature, entry.entryHash, signerKey))
      return { ok: false, ...at, reason: 'signature' };
    prevHash = entry.entryHash;
    expectedSeq++;
  }
  return { ok: true, count: entries.length, head: entries.length ? toHex(prevHash) : null };
}

function safeVerify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  // A malformed signature (wrong length) is a break in the chain, reported like a bad one.
  try {
    return verify(signature, message, publicKey);
  } catch {
    return false;
  }
}
