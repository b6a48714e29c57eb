import type { ApiClient } from '../api-client';
import type { RecordList, RecordSummary } from '../api-types';
import { say } from '../messages-ko';

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
    say('Case {id} ({n} messages from this source)', { id: thread[0]!.caseId, n: thread.length }),
    ...thread.map((r) => {
      const what = r.caseSeq === 1 ? say('testimony') : say('follow-up {n}', { n: r.caseSeq - 1 });
      const n = r.entryKinds?.reply ?? 0;
      const replies = n ? `, ${say(n === 1 ? '{n} reply' : '{n} replies', { n })}` : '';
      return `  ${r.id === current ? '▶' : ' '} ${r.caseSeq}. ${r.id.slice(0, 8)}  ${r.receivedOn}  ${what}${replies}`;
    }),
  ];
}
