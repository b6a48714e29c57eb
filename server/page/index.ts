import { Router } from 'express';
import type { Pool } from 'pg';
import {
  createBlobStore,
  deleteUnclaimedUploads,
  sumUnclaimedUploadBytes,
  type BlobStoreConfig,
} from '../../core/blob-store';
import type { Config } from '../../core/config';
import type { Logger } from '../../core/logger';
import {
  questionnaire as shippedQuestionnaire,
  type Questionnaire,
} from '../../core/questionnaire';
import type { SourceLimits } from '../limits/source-limits';
import { createNoJsGate, type NoJsGateSettings } from '../pow/nojs-gate';
import { createIntakeKeyService } from '../services/intake-key.service';
import type { BatchedMarker, Enqueuer } from '../services/outbox';
import { createSubmissionService } from '../services/submission.service';
import { assetsRouter } from './assets';
import { pageRouter } from './page.route';
import { createSealService, largestPlaintext } from './seal.service';
import { createSourceService } from './source.service';
import { DEFAULT_SITE, type SiteInfo } from './views/layout';

export { pageCsp } from './assets';

export const NOJS_MAX_FILES = 10;
/** core/config's defaults, for a caller whose config type leaves the variables out. */
const DEFAULT_SUBMISSION_UPLOAD_BYTES = 4 * 1024 ** 3;
const DEFAULT_UPLOAD_QUOTA_BYTES = 50 * 1024 ** 3;
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
  > &
    Partial<
      Pick<
        Config,
        | 'MAX_SUBMISSION_UPLOAD_BYTES'
        | 'UPLOAD_QUOTA_BYTES'
        | 'ORG_NAME'
        | 'ORG_CONTACT'
        | 'ORG_ONION'
        | 'QUICK_EXIT_URL'
      >
    > &
    BlobStoreConfig;
  questionnaire?: Questionnaire;
  /** Per-receipt token buckets, shared with the JSON API (server/limits/source-limits.ts). */
  limits?: SourceLimits;
  /** The no-JS form's progress check (server/page/multipart.ts); tests shorten it. */
  formProgress?: { windowMs: number; minBytes: number };
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
  // Both limits are of ciphertext, like the tus uploads'; files stream, so no memory cap.
  const limits = {
    ...deps.config,
    MAX_SUBMISSION_UPLOAD_BYTES:
      deps.config.MAX_SUBMISSION_UPLOAD_BYTES ?? DEFAULT_SUBMISSION_UPLOAD_BYTES,
  };
  const seal = createSealService({
    store: createBlobStore(deps.pool, deps.config, {
      chunkBytes: deps.config.UPLOAD_CHUNK_BYTES,
    }),
    quota: {
      bytes: deps.config.UPLOAD_QUOTA_BYTES ?? DEFAULT_UPLOAD_QUOTA_BYTES,
      unclaimedBytes: () => sumUnclaimedUploadBytes(deps.pool),
      discardUnclaimed: (ids) => deleteUnclaimedUploads(deps.pool, ids),
    },
    intakeKeys: createIntakeKeyService({ pool: deps.pool }),
    submissions,
    config: limits,
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
        maxFileBytes: limits.MAX_SUBMISSION_UPLOAD_BYTES,
        maxFiles: NOJS_MAX_FILES,
        maxFields: NOJS_MAX_FIELDS,
        ...(deps.formProgress ? { progress: deps.formProgress } : {}),
      },
      fileLimits: {
        perFile: largestPlaintext(limits.MAX_UPLOAD_BYTES),
        perSubmission: largestPlaintext(limits.MAX_SUBMISSION_UPLOAD_BYTES),
      },
      gate: createNoJsGate(deps.nojsGate),
      ...(deps.limits ? { limits: deps.limits } : {}),
      log: deps.log,
      site: siteInfo(deps.config),
    }),
  );
  return router;
}

function siteInfo(
  c: Partial<Pick<Config, 'ORG_NAME' | 'ORG_CONTACT' | 'ORG_ONION' | 'QUICK_EXIT_URL'>>,
): SiteInfo {
  const onion = c.ORG_ONION?.replace(/^https?:\/\//, '').replace(/\/$/, '');
  return {
    orgName: c.ORG_NAME ?? null,
    orgContact: c.ORG_CONTACT ?? null,
    onion: onion ? `http://${onion}/` : null,
    quickExitUrl: c.QUICK_EXIT_URL ?? DEFAULT_SITE.quickExitUrl,
  };
}
