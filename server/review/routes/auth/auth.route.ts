import { Router, type RequestHandler } from 'express';
import { methodNotAllowed } from '../../../http/error.middleware';
import { jsonBody } from '../../../http/json-body.middleware';
import { parseOrThrow } from '../../../http/validate';
import { caller } from '../../http/auth.middleware';
import type { AuthService } from '../../services/auth.service';
import { challengeSchema, sessionSchema } from './auth.schema';

export function authRouter(deps: {
  auth: AuthService;
  authenticate: RequestHandler;
  bodyLimitBytes: number;
}): Router {
  const router = Router();
  const body = jsonBody(deps.bodyLimitBytes);

  // The key is checked for shape only: whether it is enrolled is not told before a signature.
  router.post('/v1/auth/challenge', ...body, async (req, res) => {
    parseOrThrow(challengeSchema, req.body);
    res.json(await deps.auth.challenge());
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

  router.all('/v1/auth/challenge', methodNotAllowed('POST'));
  router.all('/v1/auth/session', methodNotAllowed('POST, DELETE'));
  router.all('/v1/me', methodNotAllowed('GET'));
  return router;
}
