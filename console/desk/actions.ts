import { z } from 'zod';
import { ILO_INDICATORS } from '../../core/questionnaire';
import { RECORD_STATUSES, type RecordStatus } from '../api-types';
import { checkCertified, enrolmentRoots } from '../enrolment-check';
import { INDICATOR_CONFIDENCES, normaliseTag, type EntryContent } from '../entries';
import { grantOne } from '../grants';
import { appendEntry } from '../records';
import { replyToSource } from '../reply';
import { listReviewers, pickReviewer } from '../reviewers';
import { DeskError } from './desk-error';
import type { Inbox } from './inbox';
import type { Vault } from './vault';

// What a reviewer does to a case from the desk, through the console's own functions: encrypted
// here, ciphertext to the server. Which record each action goes on: CONSOLE.md.

const text = (max: number) => z.string().trim().min(1).max(max);

export const actionSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('note'), text: text(100_000) }),
  z.strictObject({
    kind: z.literal('tag'),
    tag: z
      .string()
      .transform(normaliseTag)
      .pipe(z.string().regex(/^[\p{L}\p{N}._:-]{1,64}$/u)),
  }),
  z.strictObject({
    kind: z.literal('status'),
    status: z.enum(RECORD_STATUSES as [RecordStatus, ...RecordStatus[]]),
  }),
  z.strictObject({ kind: z.literal('assignment'), reviewer: text(200) }),
  z.strictObject({
    kind: z.literal('human-translation'),
    recordId: z.uuid(),
    text: text(1_000_000),
    target: z.string().regex(/^[a-z]{2,3}$/),
  }),
  z.strictObject({
    kind: z.literal('indicator'),
    indicator: z.enum(ILO_INDICATORS),
    quote: text(2_000),
    confidence: z.enum(INDICATOR_CONFIDENCES),
  }),
  z.strictObject({ kind: z.literal('reply'), text: text(100_000) }),
]);

export type Action = z.infer<typeof actionSchema>;

export async function applyAction(
  vault: Vault,
  inbox: Inbox,
  caseId: string,
  action: Action,
): Promise<void> {
  const records = inbox.caseRecords(caseId);
  if (records.length === 0) throw caseNotFound();
  const api = vault.api();
  const keys = vault.requireKeys();
  const root = records.find((r) => r.detail.id === caseId) ?? records[0]!;
  const latest = records[records.length - 1]!;
  const onRoot = (content: EntryContent) => appendEntry(api, keys, root.detail.id, content);
  switch (action.kind) {
    case 'note':
      await onRoot({ v: 1, kind: 'note', text: action.text });
      break;
    case 'tag':
      await onRoot({ v: 1, kind: 'tag', tag: action.tag });
      break;
    case 'status':
      for (const r of records) {
        if (r.detail.status === action.status) continue;
        await appendEntry(
          api,
          keys,
          r.detail.id,
          { v: 1, kind: 'status', status: action.status },
          { status: action.status },
        );
      }
      break;
    case 'assignment': {
      const who = pickReviewer(await listReviewers(api), action.reviewer);
      await onRoot({ v: 1, kind: 'assignment', reviewerId: who.id, reviewerName: who.name });
      break;
    }
    case 'human-translation': {
      if (!records.some((r) => r.detail.id === action.recordId)) throw caseNotFound();
      await appendEntry(api, keys, action.recordId, {
        v: 1,
        kind: 'human-translation',
        text: action.text,
        target: action.target,
      });
      break;
    }
    case 'indicator':
      await onRoot({ v: 1, ...action });
      break;
    case 'reply':
      await replyToSource(api, keys, latest.detail.id, action.text);
      break;
  }
}

export const grantSchema = z.strictObject({
  reviewer: text(200),
  caseIds: z.array(z.uuid()).min(1).max(10_000),
});

/** Re-wraps every record key of the chosen cases to one reviewer; counts the new grants. */
export async function grantCases(
  vault: Vault,
  inbox: Inbox,
  g: z.infer<typeof grantSchema>,
): Promise<{ reviewer: string; records: number; created: number }> {
  const api = vault.api();
  const directory = await listReviewers(api);
  const reviewer = pickReviewer(directory, g.reviewer);
  checkCertified(reviewer, directory, enrolmentRoots());
  let records = 0;
  let created = 0;
  for (const caseId of g.caseIds) {
    const list = inbox.caseRecords(caseId);
    if (list.length === 0) throw caseNotFound();
    for (const r of list) {
      records += 1;
      if (await grantOne(api, vault.requireKeys(), reviewer, r.detail.id)) created += 1;
    }
  }
  return { reviewer: reviewer.name, records, created };
}

export const caseNotFound = () =>
  new DeskError('CASE_NOT_FOUND', 404, 'No case you can read has this id');
