import { Router } from 'express';
import { methodNotAllowed } from '../http/error.middleware';
import { runChecks, type ReadinessCheck } from './readiness.service';

export interface HealthDeps {
  readiness: readonly ReadinessCheck[];
}

export function healthRouter(deps: HealthDeps): Router {
  const router = Router();
  // Liveness: the process answers. Readiness: its dependencies answer too.
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const { ready, checks } = await runChecks(deps.readiness);
    res.status(ready ? 200 : 503).json({ checks });
  });
  router.all('/healthz', methodNotAllowed('GET, HEAD'));
  router.all('/readyz', methodNotAllowed('GET, HEAD'));
  return router;
}
