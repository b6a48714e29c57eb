import type { Queryable } from '../db';

// The audit log: who did what to which record, on which day. Append-only (a trigger refuses
// UPDATE and DELETE); callers write it inside the transaction of the change it records.

export type AuditAction =
  | 'auth.login'
  | 'auth.logout'
  | 'record.list'
  | 'record.read'
  | 'record.delete'
  | 'entry.add'
  | 'grant.add'
  | 'reply.add'
  | 'custody.read'
  | 'reviewer.enroll'
  | 'reviewer.certify'
  | 'reviewer.revoke'
  | 'intake-key.rotate'
  | 'intake-key.retire'
  | 'retention.set'
  | 'retention.run';

export interface AuditRow {
  reviewerId: string | null;
  action: string;
  recordId: string | null;
  onDay: string;
}

export async function insertAudit(
  tx: Queryable,
  a: { reviewerId: string | null; action: AuditAction; recordId?: string | null },
): Promise<void> {
  await tx.query(`INSERT INTO audit_log (reviewer_id, action, record_id) VALUES ($1, $2, $3)`, [
    a.reviewerId,
    a.action,
    a.recordId ?? null,
  ]);
}

export async function insertAuditForRecords(
  tx: Queryable,
  a: { reviewerId: string | null; action: AuditAction; recordIds: readonly string[] },
): Promise<void> {
  if (a.recordIds.length === 0) return;
  await tx.query(
    `INSERT INTO audit_log (reviewer_id, action, record_id) SELECT $1, $2, unnest($3::uuid[])`,
    [a.reviewerId, a.action, a.recordIds],
  );
}

export async function listAudit(db: Queryable, limit = 1000): Promise<AuditRow[]> {
  const { rows } = await db.query<{
    reviewer_id: string | null;
    action: string;
    record_id: string | null;
    on_day: string;
  }>(
    `SELECT reviewer_id, action, record_id, to_char(on_day, 'YYYY-MM-DD') AS on_day
       FROM audit_log ORDER BY id DESC LIMIT $1`,
    [limit],
  );
  return rows.map((r) => ({
    reviewerId: r.reviewer_id,
    action: r.action,
    recordId: r.record_id,
    onDay: r.on_day,
  }));
}
