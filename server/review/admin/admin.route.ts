import { Router } from 'express';
import { AppError, E } from '../../../core/errors';
import { methodNotAllowed } from '../../http/error.middleware';
import { jsonBody } from '../../http/json-body.middleware';
import { parseOrThrow } from '../../http/validate';
import { caller } from '../auth/auth.middleware';
import { pathId } from '../http/schema';
import type { AdminService } from './admin.service';
import {
  certificateSchema,
  enrolSchema,
  intakeKeyId,
  intakeKeySchema,
  retentionSchema,
} from './admin.schema';

// Mounted behind authenticate and requireAdmin. Actions without a body (revoke, retire, run)
// take none: no JSON parser, so an empty POST is fine.

export interface AdminDeps {
  admin: AdminService;
  bodyLimitBytes: number;
}

export function adminRouter(deps: AdminDeps): Router {
  const router = Router();
  const body = jsonBody(deps.bodyLimitBytes);
  const reviewerNotFound = () => new AppError(E.REVIEWER_NOT_FOUND);

  router.post('/v1/admin/reviewers', ...body, async (req, res) => {
    res.status(201).json(await deps.admin.enrol(caller(res), parseOrThrow(enrolSchema, req.body)));
  });

  // A certificate for a reviewer enrolled without one (or whose certifying admin was revoked).
  router.post('/v1/admin/reviewers/:id/certificate', ...body, async (req, res) => {
    const id = pathId(req.params.id, reviewerNotFound);
    res.json(await deps.admin.certify(caller(res), id, parseOrThrow(certificateSchema, req.body)));
  });

  router.post('/v1/admin/reviewers/:id/revoke', async (req, res) => {
    res.json(await deps.admin.revoke(caller(res), pathId(req.params.id, reviewerNotFound)));
  });

  router.get('/v1/admin/intake-keys', async (_req, res) => {
    res.json(await deps.admin.intakeKeys());
  });

  router.post('/v1/admin/intake-keys', ...body, async (req, res) => {
    const { publicKey } = parseOrThrow(intakeKeySchema, req.body);
    const out = await deps.admin.rotateIntakeKey(caller(res), publicKey);
    res
      .status(out.created ? 201 : 200)
      .json({ id: out.id, fingerprint: out.fingerprint, status: 'current' });
  });

  router.post('/v1/admin/intake-keys/:id/retire', async (req, res) => {
    const id = intakeKeyId.safeParse(req.params.id);
    if (!id.success) throw new AppError(E.INTAKE_KEY_NOT_FOUND);
    res.json(await deps.admin.retire(caller(res), id.data));
  });

  router.get('/v1/admin/retention', async (_req, res) => {
    res.json(await deps.admin.retention());
  });

  router.put('/v1/admin/retention', ...body, async (req, res) => {
    const { policies } = parseOrThrow(retentionSchema, req.body);
    res.json(await deps.admin.setRetention(caller(res), policies));
  });

  router.post('/v1/admin/retention/run', async (_req, res) => {
    res.json(await deps.admin.runRetention(caller(res)));
  });

  router.all('/v1/admin/reviewers', methodNotAllowed('POST'));
  router.all(
    ['/v1/admin/reviewers/:id/revoke', '/v1/admin/intake-keys/:id/retire'],
    methodNotAllowed('POST'),
  );
  router.all('/v1/admin/intake-keys', methodNotAllowed('GET, POST'));
  router.all('/v1/admin/retention', methodNotAllowed('GET, PUT'));
  router.all('/v1/admin/retention/run', methodNotAllowed('POST'));
  return router;
}
