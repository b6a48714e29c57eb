import express, { type Express } from 'express';
import type { Pool } from 'pg';
import type { BlobStoreConfig } from '../../core/blob-store';
import type { Config } from '../../core/config';
import { loadEnrolmentRoots } from '../../core/enrolment-roots';
import type { Logger } from '../../core/logger';
import { errorMiddleware, notFoundHandler } from '../http/error.middleware';
import { hardening } from '../http/hardening.middleware';
import { authenticate, requireAdmin } from './http/auth.middleware';
import { adminRouter } from './routes/admin/admin.route';
import { authRouter } from './routes/auth/auth.route';
import { directoryRouter } from './routes/directory/directory.route';
import { createFilesRouter } from './routes/files';
import { recordsRouter } from './routes/records/records.route';
import { createAdminService } from './services/admin.service';
import { createAuthService } from './services/auth.service';
import { createDirectoryService } from './services/directory.service';
import { createEnrolmentGate } from './services/enrolment-gate.service';
import { createRecordsService } from './services/records.service';

export interface ReviewAppDeps {
  pool: Pool;
  config: Pick<
    Config,
    | 'BODY_LIMIT_BYTES'
    | 'MAX_TEXT_BYTES'
    | 'SESSION_TTL_SECONDS'
    | 'ENROLMENT_ROOTS'
    | 'ENROLMENT_ROOTS_FILE'
  > &
    BlobStoreConfig;
  log: Logger;
}

/**
 * The review API, built without listening. It runs on REVIEW_HOST:REVIEW_PORT only, never on
 * the public listener, and shares the public app's hardening and error handling.
 */
export function createReviewApp(deps: ReviewAppDeps): Express {
  const { pool, config } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('trust proxy', false);
  app.set('query parser', 'simple'); // no nested objects from a query string

  const auth = createAuthService({ pool, sessionTtlSeconds: config.SESSION_TTL_SECONDS });
  // The worker's roots: the API serves only the reviewers the worker seals records to.
  const gate = createEnrolmentGate({ pool, roots: loadEnrolmentRoots(config) });
  const authed = authenticate(auth, gate);
  const bodyLimitBytes = config.BODY_LIMIT_BYTES;

  app.use(...hardening());
  app.use(
    authRouter({
      auth,
      gate,
      authenticate: authed,
      authenticateUncertified: authenticate(auth, gate, { allowUncertified: true }),
      bodyLimitBytes,
    }),
  );
  // Authentication runs before any body is parsed: an anonymous caller learns nothing more.
  app.use(['/v1/records', '/v1/backlog', '/v1/reviewers', '/v1/custody', '/v1/admin'], authed);
  app.use('/v1/admin', requireAdmin);
  app.use(
    recordsRouter({
      records: createRecordsService({ pool }),
      bodyLimitBytes,
      maxTextBytes: config.MAX_TEXT_BYTES,
    }),
  );
  app.use(createFilesRouter({ pool, config }));
  app.use(directoryRouter({ directory: createDirectoryService({ pool }) }));
  app.use(adminRouter({ admin: createAdminService({ pool }), bodyLimitBytes }));
  app.use(notFoundHandler);
  app.use(errorMiddleware(deps.log));
  return app;
}
