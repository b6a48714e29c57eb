import express, { type Express } from 'express';
import type { Pool } from 'pg';
import type { Config } from '../core/config';
import type { Logger } from '../core/logger';
import { errorMiddleware, notFoundHandler } from './http/error.middleware';
import { hardening } from './http/hardening.middleware';
import { healthRouter } from './routes/health/health.route';
import { intakeKeyRouter } from './routes/intake-key/intake-key.route';
import { submissionsRouter } from './routes/submissions/submissions.route';
import { createIntakeKeyService } from './services/intake-key.service';
import type { BatchedMarker, Enqueuer } from './services/outbox';
import type { ReadinessCheck } from './services/readiness.service';
import { createSubmissionService } from './services/submission.service';
import { createUploadsRouter, type UploadConfig } from './uploads';

export interface PublicAppDeps {
  pool: Pool;
  producer: Enqueuer;
  config: Pick<Config, 'BODY_LIMIT_BYTES' | 'MAX_TEXT_BYTES'> & UploadConfig;
  log: Logger;
  readiness: readonly ReadinessCheck[];
  /** Batches the best-effort `queued` flags; main.ts flushes it on shutdown. */
  queuedMarker?: BatchedMarker;
}

/**
 * The public intake API, built without listening. It never reads the client's address:
 * no trust proxy, no req.ip, no access log, and X-Forwarded-For is simply ignored.
 */
export function createPublicApp(deps: PublicAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag'); // an ETag is a per-response identifier a client could be tracked by
  app.set('trust proxy', false);

  app.use(...hardening());
  app.use(healthRouter({ readiness: deps.readiness }));
  app.use(intakeKeyRouter({ intakeKeys: createIntakeKeyService({ pool: deps.pool }) }));
  app.use(
    submissionsRouter({
      submissions: createSubmissionService({
        pool: deps.pool,
        producer: deps.producer,
        log: deps.log,
        queuedMarker: deps.queuedMarker,
      }),
      bodyLimitBytes: deps.config.BODY_LIMIT_BYTES,
      maxTextBytes: deps.config.MAX_TEXT_BYTES,
    }),
  );
  app.use(createUploadsRouter(deps)); // tus: reads its own bodies, no JSON parser involved
  app.use(notFoundHandler);
  app.use(errorMiddleware(deps.log));
  return app;
}

// The review API (createReviewApp) is a separate listener on REVIEW_HOST:REVIEW_PORT, never
// exposed to sources; it is built in its own issue and shares only services, not this app.
