import type { ApiClient } from './api-client';
import type { RecordList } from './api-types';
import { ConsoleError } from './errors';

// Record ids are UUIDs; a reviewer types the first 8 or more characters, as `sori list` shows
// them. A prefix is matched against the records this reviewer can read, and must name one.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PREFIX = /^[0-9a-f-]+$/;
export const MIN_ID_PREFIX = 8;

/** A whole id as it stands, or a prefix to look up; anything else is refused before any call. */
export function parseRecordId(typed: string): { id: string } | { prefix: string } {
  const wanted = typed.trim().toLowerCase();
  if (UUID.test(wanted)) return { id: wanted };
  if (!PREFIX.test(wanted) || wanted.replace(/-/g, '').length < MIN_ID_PREFIX) {
    throw new ConsoleError(
      'BAD_RECORD_ID',
      `A record id is its first ${MIN_ID_PREFIX} or more characters, as sori list shows them (0-9, a-f)`,
    );
  }
  return { prefix: wanted };
}

/** The one readable record whose id starts with `wanted`. */
export async function matchRecordPrefix(api: ApiClient, wanted: string): Promise<string> {
  const matches: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.get<RecordList>('/v1/records', { limit: 200, cursor });
    for (const r of page.records) if (r.id.startsWith(wanted)) matches.push(r.id);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && matches.length < 2);
  if (matches.length === 0)
    throw new ConsoleError('RECORD_NOT_FOUND', `No record you can read starts with ${wanted}`);
  if (matches.length > 1) {
    throw new ConsoleError(
      'RECORD_ID_AMBIGUOUS',
      `More than one record starts with ${wanted} (${matches.join(', ')}); type more of the id`,
    );
  }
  return matches[0]!;
}

/** Every record id this reviewer can read, in the server's order. */
export async function readableRecordIds(api: ApiClient): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.get<RecordList>('/v1/records', { limit: 200, cursor });
    ids.push(...page.records.map((r) => r.id));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return ids;
}
