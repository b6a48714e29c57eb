import { Router, type RequestHandler } from 'express';
import { methodNotAllowed } from '../http/error.middleware';
import { POW_HEADER, type PowService } from './pow.service';

/** GET /v1/pow → { challenge, mac, difficulty, expires }: stateless, nothing is stored. */
export interface PowDeps {
  pow: PowService;
}

export function powRouter(deps: PowDeps): Router {
  const router = Router();
  router.get('/v1/pow', async (_req, res) => {
    res.set('cache-control', 'no-store');
    res.json(await deps.pow.issue());
  });
  router.all('/v1/pow', methodNotAllowed('GET, HEAD'));
  return router;
}

/**
 * Demands a spent-once solution in the `Sori-Pow` header, before the body is read: a flood is
 * refused without parsing megabytes. Without a PowService (tests, POW_REQUIRED=false) it
 * lets everything through.
 */
export function requirePow(pow: PowService | undefined): RequestHandler {
  return (req, _res, next) => {
    if (!pow) {
      next();
      return;
    }
    pow.check(req.get(POW_HEADER)).then(() => next(), next);
  };
}
