import { Router, type RequestHandler } from 'express';
import { methodNotAllowed } from '../../http/error.middleware';
import { jsonBody } from '../../http/json-body.middleware';
import { parseOrThrow } from '../../http/validate';
import { caller } from './auth.middleware';
import type { AuthService } from './auth.service';
import type { EnrolmentGate } from './enrolment-gate.service';
import { certificateSchema } from '../admin/admin.schema';
import { challengeSchema, sessionSchema } from './auth.schema';

export interface AuthDeps {
  auth: AuthService;
  gate: EnrolmentGate;
  authenticate: RequestHandler;
  /** The same, but lets a reviewer without a chaining certificate through (to present one). */
  authenticateUncertified: RequestHandler;
  bodyLimitBytes: number;
}

export function authRouter(deps: AuthDeps): Router {
  const router = Router();
  const body = jsonBody(deps.bodyLimitBytes);

  // The key is checked for shape only: whether it is enrolled is not told before a signature.
  // The nonce is bound to it: a login with any other key is refused.
  router.post('/v1/auth/challenge', ...body, async (req, res) => {
    const { signPublicKey } = parseOrThrow(challengeSchema, req.body);
    res.json(await deps.auth.challenge(signPublicKey));
  });

  router.post('/v1/auth/session', ...body, async (req, res) => {
    res.json(await deps.auth.login(parseOrThrow(sessionSchema, req.body)));
  });

  router.delete('/v1/auth/session', deps.authenticate, async (_req, res) => {
    await deps.auth.logout(caller(res));
    res.status(204).end();
  });

  router.get('/v1/me', deps.authenticate, async (_req, res) => {
    res.json(await deps.auth.me(caller(res)));
  });

  // The one thing an uncertified reviewer may do: present a certificate for their own row.
  router.post('/v1/me/certificate', deps.authenticateUncertified, ...body, async (req, res) => {
    res.json(
      await deps.gate.present(caller(res).reviewerId, parseOrThrow(certificateSchema, req.body)),
    );
  });

  router.all('/v1/auth/challenge', methodNotAllowed('POST'));
  router.all('/v1/auth/session', methodNotAllowed('POST, DELETE'));
  router.all('/v1/me', methodNotAllowed('GET'));
  router.all('/v1/me/certificate', methodNotAllowed('POST'));
  return router;
}
