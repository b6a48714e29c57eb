import { verifyChain, type ChainBreakReason, type CustodyEntry } from '../core/custody';
import { fromBase64, fromHex, isCryptoError } from '../crypto';
import type { ApiClient } from './api-client';
import type { CustodyEntryWire, CustodyPage } from './api-types';

// The custody log as the API serves it (hashes hex, signatures and keys base64url), turned
// back into core/custody.ts entries and checked with its pure verifyChain.

export interface Signer {
  id: string;
  purpose: string;
  publicKey: string;
}

export interface CustodyLog {
  entries: CustodyEntryWire[];
  signers: Signer[];
}

const PAGE = 10_000;

export async function fetchCustodyLog(api: ApiClient): Promise<CustodyLog> {
  const entries: CustodyEntryWire[] = [];
  const signers = new Map<string, Signer>();
  for (let after = 0; ;) {
    const page = await api.get<CustodyPage>('/v1/custody', { after, limit: PAGE });
    entries.push(...page.entries);
    for (const s of page.signers) signers.set(s.id, s);
    if (page.entries.length < PAGE) break;
    after = Number(page.entries[page.entries.length - 1]!.seq);
  }
  return { entries, signers: [...signers.values()] };
}

export type ChainProblem = { seq: number; reason: ChainBreakReason | 'malformed' };

export const REASONS: Record<ChainProblem['reason'], string> = {
  seq: 'a sequence number is missing or out of order',
  'prev-hash': 'it does not link to the entry before it',
  'entry-hash': 'its content does not match its hash',
  'unknown-signer': 'it is signed by an unknown key',
  signature: 'its signature does not verify',
  malformed: 'it is not well-formed',
};

/** Decodes in order; the first entry that does not decode is itself the break. */
function decode(wire: readonly CustodyEntryWire[]): {
  entries: CustodyEntry[];
  malformedAt: number | null;
} {
  const entries: CustodyEntry[] = [];
  for (const w of wire) {
    try {
      entries.push({
        seq: Number(w.seq),
        recordId: w.recordId,
        event: w.event,
        payload: w.payload,
        prevHash: fromHex(w.prevHash),
        entryHash: fromHex(w.entryHash),
        signerId: w.signerId,
        signature: fromBase64(w.signature),
      });
    } catch (err) {
      if (!isCryptoError(err)) throw err;
      return { entries, malformedAt: Number(w.seq) };
    }
  }
  return { entries, malformedAt: null };
}

export function checkChain(
  log: CustodyLog,
): { ok: true; count: number; head: string | null } | { ok: false; problem: ChainProblem } {
  const keys = new Map<string, Uint8Array>();
  for (const s of log.signers) {
    try {
      keys.set(s.id, fromBase64(s.publicKey));
    } catch (err) {
      if (!isCryptoError(err)) throw err; // a bad key simply verifies nothing
    }
  }
  const { entries, malformedAt } = decode(log.entries);
  const verdict = verifyChain(entries, keys);
  if (!verdict.ok) return { ok: false, problem: { seq: verdict.seq, reason: verdict.reason } };
  if (malformedAt !== null)
    return { ok: false, problem: { seq: malformedAt, reason: 'malformed' } };
  return verdict;
}

/** The entries that speak of one record, and the chain prefix that proves them (1..last). */
export function custodyFor(
  log: CustodyLog,
  recordId: string,
): { entries: CustodyEntryWire[]; chain: CustodyEntryWire[] } {
  const entries = log.entries.filter((e) => e.recordId === recordId);
  const last = entries.length ? Number(entries[entries.length - 1]!.seq) : 0;
  return { entries, chain: log.entries.filter((e) => Number(e.seq) <= last) };
}
