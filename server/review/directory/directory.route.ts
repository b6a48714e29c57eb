import { Router } from 'express';
import { z } from 'zod';
import { methodNotAllowed } from '../../http/error.middleware';
import { parseOrThrow } from '../../http/validate';
import { caller } from '../auth/auth.middleware';
import type { DirectoryService } from './directory.service';

const custodyQuery = z.strictObject({
  after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
});

export interface DirectoryDeps {
  directory: DirectoryService;
}

export function directoryRouter(deps: DirectoryDeps): Router {
  const router = Router();

  router.get('/v1/reviewers', async (_req, res) => {
    res.json(await deps.directory.reviewers());
  });

  router.get('/v1/custody', async (req, res) => {
    const q = parseOrThrow(custodyQuery, req.query);
    res.json(await deps.directory.custody(caller(res), q.after, q.limit));
  });

  router.all('/v1/reviewers', methodNotAllowed('GET'));
  router.all('/v1/custody', methodNotAllowed('GET'));
  return router;
}
