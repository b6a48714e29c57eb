import type { Pool } from 'pg';
import { openSubmission, toBase64, type BoxKeyPair } from '../../crypto';

/** A stored submission opened as the worker opens it: the envelope rebuilt from its row. */
export async function openStoredSubmission(pool: Pool, id: string, intake: BoxKeyPair) {
  const { rows } = await pool.query<{
    intake_key_id: string;
    sealed_key: Buffer;
    manifest: Buffer;
  }>('SELECT intake_key_id, sealed_key, manifest FROM submissions WHERE id = $1', [id]);
  const r = rows[0];
  if (!r) throw new Error(`no stored submission ${id}`);
  const envelope = {
    v: 1 as const,
    id,
    intakeKeyId: r.intake_key_id,
    sealedKey: toBase64(r.sealed_key),
    manifest: toBase64(r.manifest),
  };
  return openSubmission(envelope, intake);
}

/** The job ticket a pending submission's job goes by (core/queue.ts); throws once it is spent. */
export async function jobTicketOf(pool: Pool, id: string): Promise<string> {
  const { rows } = await pool.query<{ job_ticket: string | null }>(
    'SELECT job_ticket FROM submissions WHERE id = $1',
    [id],
  );
  const ticket = rows[0]?.job_ticket;
  if (!ticket) throw new Error(`submission ${id} has no job ticket`);
  return ticket;
}
