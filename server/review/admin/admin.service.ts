import type { Pool } from 'pg';
import { withTransaction, type Tx } from '../../../core/db';
import { AppError, E } from '../../../core/errors';
import { insertAudit, insertAuditForRecords } from '../../../core/repositories/audit.repository';
import {
  countActiveAdmins,
  findReviewerById,
  lockAdmins,
  revokeReviewerAccess,
} from '../../../core/repositories/admin.repository';
import { insertIntakeKey } from '../../../core/repositories/intake-key.repository';
import {
  deleteExpiredRecords,
  demoteCurrentIntakeKey,
  findIntakeKeyStatus,
  listIntakeKeys,
  listRetention,
  promoteIntakeKey,
  replaceRetention,
  retireIntakeKey,
  type RetentionPolicy,
} from '../../../core/repositories/intake-admin.repository';
import { setReviewerCertificate } from '../../../core/repositories/reviewer.repository';
import { enrolReviewer, type Enrolment } from '../../../core/reviewer-enrolment';
import { revokeReviewerSessions } from '../../../core/repositories/session.repository';
import { lockKeyRegistration } from '../../../core/repositories/service-key.repository';
import {
  fingerprint,
  keyId,
  toBase64,
  verifyEnrolment,
  type Bytes,
  type EnrolmentCertificate,
} from '../../../crypto';
import type { Caller } from '../auth/auth.service';

// Operator actions: enrol and revoke reviewers (public keys only), rotate intake keys, set and
// run retention. Each change and its audit row commit together.

const invalidCertificate = () => new AppError(E.ENROLMENT_CERTIFICATE_INVALID);

export function createAdminService(deps: { pool: Pool }) {
  const { pool } = deps;
  const tx = <T>(fn: (t: Tx) => Promise<T>) => withTransaction(pool, fn);

  const enrol = (caller: Caller, e: Enrolment) =>
    tx(async (t) => ({ id: await enrolReviewer(t, caller.reviewerId, e) }));

  /**
   * Attaches a certificate, signed with the caller's own key, to an enrolled, non-revoked
   * reviewer: 404 REVIEWER_NOT_FOUND, 409 REVIEWER_REVOKED, 400 ENROLMENT_CERTIFICATE_INVALID if
   * it does not cover the row's role and keys, 400 CERTIFICATE_NOT_YOURS if another key signed
   * it. Which signers count is still the worker's decision.
   */
  const certify = (caller: Caller, id: string, certificate: EnrolmentCertificate) =>
    tx(async (t) => {
      const target = await findReviewerById(t, id, 'update');
      if (!target) throw new AppError(E.REVIEWER_NOT_FOUND);
      if (target.revokedOn) throw new AppError(E.REVIEWER_REVOKED_CONFLICT);
      if (!verifyEnrolment(target, certificate)) throw invalidCertificate();
      // Signed by the caller's own enrolled key: a session alone (no key file) cannot replace
      // a certificate that chains with one that does not.
      const self = await findReviewerById(t, caller.reviewerId);
      if (!self || !Buffer.from(certificate.signer).equals(self.signPublicKey))
        throw new AppError(E.CERTIFICATE_NOT_YOURS);
      await setReviewerCertificate(t, id, certificate);
      await insertAudit(t, { reviewerId: caller.reviewerId, action: 'reviewer.certify' });
      return { id };
    });

  /** Immediate: the reviewer's record keys go and their sessions stop working in the same commit. */
  const revoke = (caller: Caller, id: string) =>
    tx(async (t) => {
      await lockAdmins(t);
      const target = await findReviewerById(t, id, 'update');
      if (!target) throw new AppError(E.REVIEWER_NOT_FOUND);
      if (target.revokedOn) return { id, revokedOn: target.revokedOn, keysDeleted: 0 };
      if (target.role === 'admin' && (await countActiveAdmins(t)) <= 1) {
        throw new AppError(E.LAST_ADMIN);
      }
      const keysDeleted = await revokeReviewerAccess(t, id);
      await revokeReviewerSessions(t, id);
      await insertAudit(t, { reviewerId: caller.reviewerId, action: 'reviewer.revoke' });
      const after = await findReviewerById(t, id);
      return { id, revokedOn: after?.revokedOn ?? null, keysDeleted };
    });

  async function intakeKeys() {
    const keys = await listIntakeKeys(pool);
    return { keys: keys.map((k) => ({ ...k, publicKey: toBase64(k.publicKey) })) };
  }

  /** The new key becomes 'current', the previous current one 'accepting'. */
  const rotateIntakeKey = (caller: Caller, publicKey: Bytes) =>
    tx(async (t) => {
      const id = keyId(publicKey);
      await lockKeyRegistration(t);
      const status = await findIntakeKeyStatus(t, id);
      if (status === 'retired') throw new AppError(E.INTAKE_KEY_RETIRED);
      if (status === 'current') return { id, fingerprint: fingerprint(publicKey), created: false };
      await demoteCurrentIntakeKey(t);
      // A key the worker already registered as 'accepting' is promoted rather than inserted.
      if (status === 'accepting') await promoteIntakeKey(t, id);
      else
        await insertIntakeKey(t, {
          id,
          publicKey,
          fingerprint: fingerprint(publicKey),
          status: 'current',
        });
      await insertAudit(t, { reviewerId: caller.reviewerId, action: 'intake-key.rotate' });
      return { id, fingerprint: fingerprint(publicKey), created: true };
    });

  const retire = (caller: Caller, id: string) =>
    tx(async (t) => {
      const status = await findIntakeKeyStatus(t, id);
      if (!status) throw new AppError(E.INTAKE_KEY_NOT_FOUND);
      // Clients would be left with no key to seal to: rotate first.
      if (status === 'current') throw new AppError(E.INTAKE_KEY_CURRENT);
      await retireIntakeKey(t, id);
      await insertAudit(t, { reviewerId: caller.reviewerId, action: 'intake-key.retire' });
      return { id, status: 'retired' as const };
    });

  const retention = async () => ({ policies: await listRetention(pool) });

  const setRetention = (caller: Caller, policies: RetentionPolicy[]) =>
    tx(async (t) => {
      await replaceRetention(t, policies);
      await insertAudit(t, { reviewerId: caller.reviewerId, action: 'retention.set' });
      return { policies: await listRetention(t) };
    });

  const runRetention = (caller: Caller) =>
    tx(async (t) => {
      const ids = await deleteExpiredRecords(t);
      await insertAuditForRecords(t, {
        reviewerId: caller.reviewerId,
        action: 'record.delete',
        recordIds: ids,
      });
      await insertAudit(t, { reviewerId: caller.reviewerId, action: 'retention.run' });
      return { deleted: ids.length };
    });

  return {
    enrol,
    certify,
    revoke,
    intakeKeys,
    rotateIntakeKey,
    retire,
    retention,
    setRetention,
    runRetention,
  };
}

export type AdminService = ReturnType<typeof createAdminService>;
