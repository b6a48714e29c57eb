import type { ApiClient } from '../api-client';
import type { RecordDetail, RecordSummary } from '../api-types';
import type { EntryContent } from '../entries';
import { normaliseTag } from '../entries';
import { openDetail, type OpenedRecord } from '../records';
import { pickTranslation } from '../render/record';
import { entryCount, isUnread, loadSeen, saveSeen, type SeenMap } from '../seen';
import { memzero, type ReviewerKeys } from '../../crypto';

// The desk's inbox: readable records opened and kept in memory until the desk locks, grouped
// into cases; search runs over the decrypted text here, so nothing searched leaves this process.

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
  q?: string;
}

const contents = (r: OpenedRecord): EntryContent[] => r.entries.map((e) => e.content);

/** Everything a reviewer may search for in one record, lower-cased once. */
function haystackOf(r: OpenedRecord): string {
  const parts: string[] = [r.body.text, pickTranslation(r).text];
  for (const c of contents(r)) {
    if ('text' in c && typeof c.text === 'string') parts.push(c.text);
    if (c.kind === 'tag') parts.push(c.tag);
    if (c.kind === 'indicator') parts.push(c.quote, c.indicator);
  }
  for (const f of r.body.files) {
    parts.push(f.name);
    // OCR text, when a record carries it (safe renditions and photos of paper).
    const ocr = (f as { ocrText?: unknown }).ocrText;
    if (typeof ocr === 'string') parts.push(ocr);
  }
  for (const v of Object.values(r.body.answers ?? {})) if (typeof v === 'string') parts.push(v);
  return parts.join('\n').normalize('NFC').toLowerCase();
}

export class Inbox {
  private summaries = new Map<string, RecordSummary>();
  private opened = new Map<string, OpenedRecord>();
  private haystacks = new Map<string, string>();
  private seen: SeenMap = loadSeen();
  /** Case summaries, computed once per change: searching re-filters them, never rebuilds. */
  private summaryCache: CaseSummary[] | null = null;

  clear(): void {
    // The record keys are secrets like the reviewer's own: wiped, not just dropped.
    for (const r of this.opened.values()) memzero(r.recordKey);
    this.summaryCache = null;
    this.summaries.clear();
    this.opened.clear();
    this.haystacks.clear();
  }

  async refresh(api: ApiClient, keys: ReviewerKeys): Promise<void> {
    // One request per 200 records (include=full), each opened here unless unchanged since the
    // last refresh: the inbox of a thousand cases is five round trips, not a thousand.
    const fresh = new Map<string, RecordSummary>();
    let cursor: string | undefined;
    do {
      const page = await api.get<{
        records: Array<RecordSummary & RecordDetail>;
        nextCursor: string | null;
      }>('/v1/records', { limit: 200, cursor, include: 'full' });
      for (const r of page.records) {
        const summary: RecordSummary = { ...r, entryKinds: r.entryKinds ?? {} };
        const old = this.summaries.get(r.id);
        if (
          !this.opened.has(r.id) ||
          !old ||
          entryCount(old) !== entryCount(summary) ||
          old.status !== r.status
        ) {
          const opened = openDetail(r, keys);
          this.opened.set(r.id, opened);
          this.haystacks.set(r.id, haystackOf(opened));
        }
        fresh.set(r.id, summary);
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    for (const id of this.summaries.keys()) {
      if (!fresh.has(id)) {
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
  return true;
}
