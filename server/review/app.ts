import express, { type Express } from 'express';
import type { Config } from '../../core/config';
import type { Logger } from '../../core/logger';
import { errorMiddleware, notFoundHandler } from '../http/error.middleware';
import { hardening } from '../http/hardening.middleware';
import { authenticate, requireAdmin } from './auth/auth.middleware';
import { adminRouter } from './admin/admin.route';
import { authRouter } from './auth/auth.route';
import { directoryRouter } from './directory/directory.route';
import { filesRouter } from './files/files.route';
import { recordsRouter } from './records/records.route';
import type { AdminService } from './admin/admin.service';
import type { AuthService } from './auth/auth.service';
import type { DirectoryService } from './directory/directory.service';
import type { EnrolmentGate } from './auth/enrolment-gate.service';
import type { FilesService } from './files/files.service';
import type { RecordsService } from './records/records.service';

export interface ReviewServices {
  auth: AuthService;
  gate: EnrolmentGate;
  records: RecordsService;
  files: FilesService;
  directory: DirectoryService;
  admin: AdminService;
}

export interface ReviewAppDeps {
  services: ReviewServices;
  config: Pick<Config, 'BODY_LIMIT_BYTES' | 'MAX_TEXT_BYTES'>;
  log: Logger;
}

/**
 * The review API, built without listening. It runs on REVIEW_HOST:REVIEW_PORT only, never on
 * the public listener, and shares the public app's hardening and error handling.
 */
export function createReviewApp(deps: ReviewAppDeps): Express {
  const { services, config } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('trust proxy', false);
  app.set('query parser', 'simple'); // no nested objects from a query string

  const { auth, gate } = services;
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
      records: services.records,
      bodyLimitBytes,
      maxTextBytes: config.MAX_TEXT_BYTES,
    }),
  );
  app.use(filesRouter({ files: services.files }));
  app.use(directoryRouter({ directory: services.directory }));
  app.use(adminRouter({ admin: services.admin, bodyLimitBytes }));
  app.use(notFoundHandler);
  app.use(errorMiddleware(deps.log));
  return app;
}
