import { Router } from 'express';
import { methodNotAllowed } from '../http/error.middleware';
import type { IntakeKeyService } from './intake-key.service';

export interface IntakeKeyDeps {
  intakeKeys: IntakeKeyService;
}

export function intakeKeyRouter(deps: IntakeKeyDeps): Router {
  const router = Router();
  router.get('/v1/intake-key', async (_req, res) => {
    res.json(await deps.intakeKeys.current());
  });
  router.all('/v1/intake-key', methodNotAllowed('GET, HEAD'));
  return router;
}
