import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { soriHome } from './keystore';
import type { RecordSummary } from './api-types';

// What this reviewer has already read, for unread markers: record id → how many entries the
// record had when last opened. Ids and counts only (nothing decrypted), 0600 beside the key
// file. A record that gained an entry (a translation, a colleague's note) reads as unread again.

export const seenPath = (): string => join(soriHome(), 'seen.json');

export type SeenMap = Record<string, number>;

export function loadSeen(): SeenMap {
  try {
    const raw = JSON.parse(readFileSync(seenPath(), 'utf8')) as unknown;
    if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
      const out: SeenMap = {};
      for (const [k, v] of Object.entries(raw)) if (typeof v === 'number') out[k] = v;
      return out;
    }
  } catch {
    // no file yet, or unreadable: everything is unread, which is the safe direction
  }
  return {};
}

export function saveSeen(seen: SeenMap): void {
  mkdirSync(soriHome(), { recursive: true, mode: 0o700 });
  writeFileSync(seenPath(), JSON.stringify(seen) + '\n', { mode: 0o600 });
  chmodSync(seenPath(), 0o600);
}

/** The version an unread marker compares: the number of entries the server counts. */
export function entryCount(r: Pick<RecordSummary, 'entryKinds'>): number {
  return Object.values(r.entryKinds ?? {}).reduce<number>((a, n) => a + (n ?? 0), 0);
}

export const isUnread = (seen: SeenMap, r: Pick<RecordSummary, 'id' | 'entryKinds'>): boolean =>
  seen[r.id] === undefined || seen[r.id]! < entryCount(r);

/** `sori show` and the desk mark what the reviewer has read. */
export function markSeen(recordId: string, entries: number): void {
  const seen = loadSeen();
  seen[recordId] = entries;
  saveSeen(seen);
}
