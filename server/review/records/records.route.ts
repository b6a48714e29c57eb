import { Router } from 'express';
import { methodNotAllowed } from '../../http/error.middleware';
import { jsonBody } from '../../http/json-body.middleware';
import { parseOrThrow } from '../../http/validate';
import { caller } from '../auth/auth.middleware';
import { pathId, recordNotFound } from '../http/schema';
import type { RecordsService } from './records.service';
import { entrySchema, grantSchema, listQuerySchema, replySchema } from './records.schema';

export interface RecordsDeps {
  records: RecordsService;
  bodyLimitBytes: number;
  maxTextBytes: number;
}

export function recordsRouter(deps: RecordsDeps): Router {
  const router = Router();
  const body = jsonBody(deps.bodyLimitBytes);
  const entry = entrySchema(deps.maxTextBytes);
  const reply = replySchema(deps.maxTextBytes);
  const recordId = (v: unknown) => pathId(v, recordNotFound);

  router.get('/v1/records', async (req, res) => {
    const { case: caseId, include, ...q } = parseOrThrow(listQuerySchema, req.query);
    res.json(await deps.records.list(caller(res), { ...q, caseId, full: include === 'full' }));
  });

  // Counts only (content-free): why a reviewer's list may be empty while testimony waits.
  router.get('/v1/backlog', async (_req, res) => {
    res.json(await deps.records.backlog(caller(res)));
  });

  router.get('/v1/records/:id', async (req, res) => {
    res.json(await deps.records.read(caller(res), recordId(req.params.id)));
  });

  router.post('/v1/records/:id/entries', ...body, async (req, res) => {
    const id = recordId(req.params.id);
    res
      .status(201)
      .json(await deps.records.addEntry(caller(res), id, parseOrThrow(entry, req.body)));
  });

  router.post('/v1/records/:id/grants', ...body, async (req, res) => {
    const id = recordId(req.params.id);
    const g = parseOrThrow(grantSchema, req.body);
    const outcome = await deps.records.grant(caller(res), id, g);
    res
      .status(outcome === 'created' ? 201 : 200)
      .json({ recordId: id, reviewerId: g.reviewerId, created: outcome === 'created' });
  });

  router.post('/v1/records/:id/replies', ...body, async (req, res) => {
    const id = recordId(req.params.id);
    res.status(201).json(await deps.records.reply(caller(res), id, parseOrThrow(reply, req.body)));
  });

  router.all('/v1/records', methodNotAllowed('GET'));
  router.all('/v1/backlog', methodNotAllowed('GET'));
  router.all('/v1/records/:id', methodNotAllowed('GET'));
  router.all(
    ['/v1/records/:id/entries', '/v1/records/:id/grants', '/v1/records/:id/replies'],
    methodNotAllowed('POST'),
  );
  return router;
}
