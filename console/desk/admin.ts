import { z } from 'zod';
import { RECORD_STATUSES } from '../api-types';
import { signEnrolment, toBase64 } from '../../crypto';
import { statementOf } from '../commands/admin/enrolment-statement';
import { REVIEWER_NAME } from '../commands/keygen.command';
import { findReviewer, listReviewers } from '../reviewers';
import { DeskError } from './desk-error';
import type { Inbox } from './inbox';
import type { Vault } from './vault';

// The admin screens: the same calls as `sori admin enroll|revoke|retention`, the enrolment
// certificate signed here with the admin's own key. Held-back files are listed from the
// decrypted records (the server only knows blob kinds, not which record said what about them).

export const enrolSchema = z.strictObject({
  name: z.string().regex(REVIEWER_NAME),
  role: z.enum(['admin', 'reviewer']),
  box: z.string().min(40).max(60),
  sign: z.string().min(40).max(60),
});

export const retentionSchema = z.strictObject({
  policies: z
    .array(
      z.strictObject({
        status: z.enum(RECORD_STATUSES as ['new']),
        days: z.number().int().min(1).max(36_500),
      }),
    )
    .max(4),
});

function requireAdmin(vault: Vault): void {
  if (vault.me().role !== 'admin')
    throw new DeskError('ADMIN_REQUIRED', 403, 'Only admins can use this screen');
}

export async function adminOverview(vault: Vault, inbox: Inbox) {
  requireAdmin(vault);
  const api = vault.api();
  const [reviewers, retention] = await Promise.all([
    listReviewers(api),
    api.get<{ policies: Array<{ status: string; days: number }> }>('/v1/admin/retention'),
  ]);
  const heldBack = inbox.cases().flatMap((c) =>
    c.recordIds.flatMap((id) =>
      (inbox.record(id)?.body.files ?? [])
        .filter((f) => f.status === 'unsanitised')
        .map((f) => ({
          caseId: c.caseId,
          recordId: id,
          name: f.name,
          size: f.size,
          reason: f.status === 'unsanitised' ? f.reason : '',
          kept: f.fileId !== null,
        })),
    ),
  );
  return {
    reviewers: reviewers.map((r) => ({
      id: r.id,
      name: r.name,
      role: r.role,
      enrolledOn: r.enrolledOn ?? null,
      revokedOn: r.revokedOn ?? null,
    })),
    retention: retention.policies,
    heldBack,
  };
}

export async function enrol(vault: Vault, e: z.infer<typeof enrolSchema>) {
  requireAdmin(vault);
  const statement = statementOf(e);
  const cert = signEnrolment(statement, vault.requireKeys().sign);
  return vault.api().post<{ id: string }>('/v1/admin/reviewers', {
    name: e.name,
    role: e.role,
    boxPublicKey: e.box,
    signPublicKey: e.sign,
    certificate: { signer: toBase64(cert.signer), signature: toBase64(cert.signature) },
  });
}

export async function revoke(vault: Vault, who: string) {
  requireAdmin(vault);
  const api = vault.api();
  const r = await findReviewer(api, who);
  await api.post(`/v1/admin/reviewers/${encodeURIComponent(r.id)}/revoke`);
  return { revoked: r.id, name: r.name };
}

export async function setRetention(vault: Vault, body: z.infer<typeof retentionSchema>) {
  requireAdmin(vault);
  return vault.api().put<{ policies: unknown[] }>('/v1/admin/retention', body);
}
