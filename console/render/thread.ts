import type { ApiClient } from '../api-client';
import type { RecordList, RecordSummary } from '../api-types';

// A record's place in its case: the source's first testimony, its follow-ups and (inside each
// record's entries) the replies, in the order they came. `sori show` prints it under the header.

export async function caseThread(api: ApiClient, caseId: string): Promise<RecordSummary[]> {
  const out: RecordSummary[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.get<RecordList>('/v1/records', { case: caseId, limit: 200, cursor });
    out.push(...page.records);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out.sort((a, b) => a.caseSeq - b.caseSeq);
}

export function threadLines(thread: RecordSummary[], current: string): string[] {
  if (thread.length <= 1) return [];
  return [
    `Case ${thread[0]!.caseId} (${thread.length} messages from this source)`,
    ...thread.map((r) => {
      const what = r.caseSeq === 1 ? 'testimony' : `follow-up ${r.caseSeq - 1}`;
      const replies = r.entryKinds?.reply
        ? `, ${r.entryKinds.reply} repl${r.entryKinds.reply === 1 ? 'y' : 'ies'}`
        : '';
      return `  ${r.id === current ? '▶' : ' '} ${r.caseSeq}. ${r.id.slice(0, 8)}  ${r.receivedOn}  ${what}${replies}`;
    }),
  ];
}
