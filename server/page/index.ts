import { Router } from 'express';
import type { Pool } from 'pg';
import { createPostgresBlobStore } from '../../core/blob-store';
import type { Config } from '../../core/config';
import type { Logger } from '../../core/logger';
import {
  questionnaire as shippedQuestionnaire,
  type Questionnaire,
} from '../../core/questionnaire';
import { createNoJsGate, type NoJsGateSettings } from '../pow/nojs-gate';
import { createIntakeKeyService } from '../services/intake-key.service';
import type { BatchedMarker, Enqueuer } from '../services/outbox';
import { createSubmissionService } from '../services/submission.service';
import { assetsRouter } from './assets';
import { pageRouter } from './page.route';
import { createSealService } from './seal.service';
import { createSourceService } from './source.service';

export { pageCsp } from './assets';

/** The no-JS form holds every file in memory until it is sealed: larger ones take the JS path. */
export const NOJS_MAX_FILE_BYTES = 64 * 1024 * 1024;
export const NOJS_MAX_FILES = 10;
/** The questionnaire's fields plus text, lang and a few the page script or PoW may add. */
const NOJS_MAX_FIELDS = 400;

export interface PageDeps {
  pool: Pool;
  producer: Enqueuer;
  log: Logger;
  queuedMarker?: BatchedMarker;
  config: Pick<
    Config,
    'MAX_TEXT_BYTES' | 'MAX_UPLOAD_BYTES' | 'UPLOAD_EXPIRY_DAYS' | 'UPLOAD_CHUNK_BYTES'
  >;
  questionnaire?: Questionnaire;
  /** The no-JS posts' concurrency gate and per-minute budget (server/pow/nojs-gate.ts). */
  nojsGate?: Partial<NoJsGateSettings>;
}

/** The source's pages (GET /, /return, the no-JS posts) and their assets, on the public app. */
export function createPageRouter(deps: PageDeps): Router {
  const submissions = createSubmissionService({
    pool: deps.pool,
    producer: deps.producer,
    log: deps.log,
    queuedMarker: deps.queuedMarker,
  });
  const seal = createSealService({
    store: createPostgresBlobStore(deps.pool, { chunkBytes: deps.config.UPLOAD_CHUNK_BYTES }),
    intakeKeys: createIntakeKeyService({ pool: deps.pool }),
    submissions,
    config: deps.config,
  });
  const router = Router();
  router.use(assetsRouter());
  router.use(
    pageRouter({
      seal,
      sources: createSourceService({ pool: deps.pool, submissions }),
      questionnaire: deps.questionnaire ?? shippedQuestionnaire,
      form: {
        maxFieldBytes: deps.config.MAX_TEXT_BYTES,
        maxFileBytes: Math.min(NOJS_MAX_FILE_BYTES, deps.config.MAX_UPLOAD_BYTES),
        maxFiles: NOJS_MAX_FILES,
        maxFields: NOJS_MAX_FIELDS,
      },
      gate: createNoJsGate(deps.nojsGate),
      log: deps.log,
    }),
  );
  return router;
}
