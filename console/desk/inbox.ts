import type { ApiClient } from '../api-client';
import type { RecordDetail, RecordSummary } from '../api-types';
import type { EntryContent } from '../entries';
import { normaliseTag } from '../entries';
import { openDetail, recordPath, type OpenedRecord } from '../records';
import { pickTranslation } from '../render/record';
import { entryCount, isUnread, loadSeen, saveSeen, type SeenMap } from '../seen';
import { memzero, type ReviewerKeys } from '../../crypto';
import { searchTextOf } from './search-text';

// The desk's inbox: readable records kept in memory until the desk locks, grouped into cases;
// a refresh re-reads only new or changed records; search runs over the decrypted text here.

export interface CaseSummary {
  caseId: string;
  recordIds: string[];
  firstOn: string;
  lastOn: string;
  status: string;
  tags: string[];
  assignee: string | null;
  language: string;
  attachments: number;
  indicators: string[];
  unread: boolean;
  excerpt: string;
  translationExcerpt: string;
}

export interface CaseFilter {
  status?: string;
  tag?: string;
  assignee?: string;
  language?: string;
  indicator?: string;
  unread?: boolean;
  /** Only cases with at least one attachment. */
  withFiles?: boolean;
  q?: string;
}

const contents = (r: OpenedRecord): EntryContent[] => r.entries.map((e) => e.content);

export class Inbox {
  private summaries = new Map<string, RecordSummary>();
  private opened = new Map<string, OpenedRecord>();
  private haystacks = new Map<string, string>();
  private seen: SeenMap = loadSeen();
  /** Case summaries, computed once per change: searching re-filters them, never rebuilds. */
  private summaryCache: CaseSummary[] | null = null;
  /** Keys of records re-read or gone since the unlock, kept only to be wiped at lock. */
  private retiredKeys: Uint8Array[] = [];

  clear(): void {
    // The record keys are secrets like the reviewer's own: wiped, not just dropped.
    for (const r of this.opened.values()) memzero(r.recordKey);
    for (const k of this.retiredKeys) memzero(k);
    this.retiredKeys = [];
    this.summaryCache = null;
    this.summaries.clear();
    this.opened.clear();
    this.haystacks.clear();
  }

  /**
   * Brings the inbox up to date. The first refresh after unlocking reads every record in pages
   * of 200 (include=full): the inbox of a thousand cases is five round trips, not a thousand.
   * Later refreshes list summaries only and read again just the records that are new or gained
   * an entry. The server audits each record it hands out as a read, so the audit log records
   * what this desk really read: once when it unlocked, then once per change, not every record
   * every time the reviewer presses "check" or saves a note.
   */
  async refresh(api: ApiClient, keys: ReviewerKeys): Promise<void> {
    if (this.opened.size === 0) return this.readAll(api, keys);
    const fresh = new Map<string, RecordSummary>();
    for await (const r of pages<RecordSummary>(api, {})) fresh.set(r.id, withKinds(r));
    const changed = [...fresh.values()].filter((s) => this.isStale(s)).map((s) => s.id);
    // Very many changes (a long absence): one paged read costs fewer round trips than one each.
    if (changed.length > REREAD_ONE_BY_ONE) return this.readAll(api, keys);
    await inTurns(changed, 4, async (id) =>
      this.keep(openDetail(await api.get<RecordDetail>(recordPath(id)), keys)),
    );
    this.replaceSummaries(fresh);
  }

  private async readAll(api: ApiClient, keys: ReviewerKeys): Promise<void> {
    const fresh = new Map<string, RecordSummary>();
    for await (const r of pages<RecordSummary & RecordDetail>(api, { include: 'full' })) {
      const summary = withKinds(r);
      if (this.isStale(summary)) this.keep(openDetail(r, keys));
      fresh.set(r.id, summary);
    }
    this.replaceSummaries(fresh);
  }

  /**
   * New, or changed since it was opened: entries only grow (a status change adds one), and a
   * record moves within its case when an earlier message from its source is stored after it.
   */
  private isStale(s: RecordSummary): boolean {
    const old = this.summaries.get(s.id);
    return (
      !this.opened.has(s.id) ||
      !old ||
      entryCount(old) !== entryCount(s) ||
      old.status !== s.status ||
      old.caseId !== s.caseId ||
      old.caseSeq !== s.caseSeq
    );
  }

  private keep(r: OpenedRecord): void {
    // The replaced copy's key is wiped at lock, not now: a file being streamed may still use it.
    const old = this.opened.get(r.detail.id);
    if (old) this.retiredKeys.push(old.recordKey);
    this.opened.set(r.detail.id, r);
    this.haystacks.set(r.detail.id, searchTextOf(r));
  }

  private replaceSummaries(fresh: Map<string, RecordSummary>): void {
    for (const [id, r] of this.opened) {
      if (!fresh.has(id)) {
        this.retiredKeys.push(r.recordKey);
        this.opened.delete(id);
        this.haystacks.delete(id);
      }
    }
    this.summaries = fresh;
    this.summaryCache = null;
  }

  record(id: string): OpenedRecord | undefined {
    return this.opened.get(id);
  }

  /** The records of one case, oldest first (the conversation's order). */
  caseRecords(caseId: string): OpenedRecord[] {
    return [...this.summaries.values()]
      .filter((s) => s.caseId === caseId)
      .map((s) => this.opened.get(s.id))
      .filter((r): r is OpenedRecord => r !== undefined)
      .sort(byCaseSeq);
  }

  markSeen(caseId: string): void {
    for (const s of this.summaries.values())
      if (s.caseId === caseId) this.seen[s.id] = entryCount(s);
    saveSeen(this.seen);
    this.summaryCache = null;
  }

  cases(filter: CaseFilter = {}): CaseSummary[] {
    const q = filter.q?.normalize('NFC').trim().toLowerCase();
    return this.allCases().filter(
      (c) =>
        matches(c, filter) && (!q || c.recordIds.some((id) => this.haystacks.get(id)?.includes(q))),
    );
  }

  private allCases(): CaseSummary[] {
    if (this.summaryCache) return this.summaryCache;
    const byCase = new Map<string, RecordSummary[]>();
    for (const s of this.summaries.values()) {
      const list = byCase.get(s.caseId) ?? [];
      list.push(s);
      byCase.set(s.caseId, list);
    }
    const out: CaseSummary[] = [];
    for (const [caseId, list] of byCase) {
      const c = this.summarise(caseId, list);
      if (c) out.push(c);
    }
    out.sort((a, b) => b.lastOn.localeCompare(a.lastOn) || b.caseId.localeCompare(a.caseId));
    this.summaryCache = out;
    return out;
  }

  private summarise(caseId: string, list: RecordSummary[]): CaseSummary | null {
    const records = list
      .map((s) => this.opened.get(s.id))
      .filter((r): r is OpenedRecord => r !== undefined)
      .sort(byCaseSeq);
    const root = records.find((r) => r.detail.id === caseId) ?? records[0];
    if (!root) return null;
    const all = records.flatMap(contents);
    const tags = [...new Set(all.flatMap((c) => (c.kind === 'tag' ? [normaliseTag(c.tag)] : [])))];
    const assignment = [...all].reverse().find((c) => c.kind === 'assignment');
    const coded = all.flatMap((c) => (c.kind === 'indicator' ? [c.indicator] : []));
    const fromAnswers = records.flatMap((r) => r.body.indicators ?? []);
    return {
      caseId,
      recordIds: records.map((r) => r.detail.id),
      firstOn: root.detail.receivedOn,
      lastOn: records[records.length - 1]!.detail.receivedOn,
      status: root.detail.status,
      tags,
      assignee: assignment?.kind === 'assignment' ? assignment.reviewerName : null,
      language: root.body.lang.code,
      attachments: records.reduce((n, r) => n + r.body.files.length, 0),
      indicators: [...new Set([...fromAnswers, ...coded])].sort(),
      unread: list.some((s) => isUnread(this.seen, s)),
      excerpt: excerpt(root.body.text),
      translationExcerpt: excerpt(pickTranslation(root).text),
    };
  }
}

/** Records re-read one request each up to this many; beyond it, one paged read of all. */
const REREAD_ONE_BY_ONE = 50;

const withKinds = (r: RecordSummary): RecordSummary => ({ ...r, entryKinds: r.entryKinds ?? {} });

/** Every record the reviewer may read, page by page (200 a page, the API's most). */
async function* pages<T extends { id: string }>(
  api: ApiClient,
  query: Record<string, string>,
): AsyncGenerator<T> {
  let cursor: string | undefined;
  do {
    const page = await api.get<{ records: T[]; nextCursor: string | null }>('/v1/records', {
      limit: 200,
      cursor,
      ...query,
    });
    yield* page.records;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

/** Runs `f` over `items`, at most `width` at a time. */
async function inTurns<T>(items: T[], width: number, f: (x: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) await f(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, lane));
}

const byCaseSeq = (a: OpenedRecord, b: OpenedRecord): number => a.detail.caseSeq - b.detail.caseSeq;

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 140 ? `${flat.slice(0, 139)}…` : flat;
}

function matches(c: CaseSummary, f: CaseFilter): boolean {
  if (f.status && c.status !== f.status) return false;
  if (f.tag && !c.tags.includes(normaliseTag(f.tag))) return false;
  if (f.assignee && c.assignee !== f.assignee) return false;
  if (f.language && c.language !== f.language) return false;
  if (f.indicator && !c.indicators.includes(f.indicator)) return false;
  if (f.unread && !c.unread) return false;
  if (f.withFiles && c.attachments === 0) return false;
  return true;
}
