import express, { type Express, type Request } from 'express';
import type { Config } from '../core/config';
import type { Logger } from '../core/logger';
import { errorMiddleware, notFoundHandler } from './http/error.middleware';
import { hardening } from './http/hardening.middleware';
import { requestDeadline } from './http/request-deadline.middleware';
import { sourcePagesRouter, type PageConfig, type SourcePagesDeps } from './page';
import type { SealService } from './page/seal.service';
import type { SourceService } from './page/source.service';
import type { SourceLimits } from './limits/source-limits';
import { powRouter } from './pow/pow.route';
import type { PowService } from './pow/pow.service';
import { healthRouter } from './health/health.route';
import { intakeKeyRouter } from './intake-key/intake-key.route';
import { repliesRouter } from './replies/replies.route';
import { submissionsRouter } from './intake/submissions.route';
import type { IntakeKeyService } from './intake-key/intake-key.service';
import type { ReadinessCheck } from './health/readiness.service';
import type { RepliesService } from './replies/replies.service';
import type { SubmissionService } from './intake/submission.service';
import { uploadsRouter, type UploadService } from './uploads';

export interface PublicServices {
  submissions: SubmissionService;
  intakeKeys: IntakeKeyService;
  replies: RepliesService;
  uploads: UploadService;
  seal: SealService;
  sources: SourceService;
}

export interface PublicAppDeps {
  services: PublicServices;
  config: Pick<Config, 'BODY_LIMIT_BYTES' | 'MAX_TEXT_BYTES' | 'REQUEST_TIMEOUT_MS'> & PageConfig;
  log: Logger;
  readiness: readonly ReadinessCheck[];
  /**
   * Proof of work on POST /v1/submissions, /v1/submissions/status, /v1/replies and
   * /v1/uploads (tus creation only: HEAD, PATCH and DELETE stay free), and GET /v1/pow.
   * OFF when not given (the test helpers); main.ts turns it on (POW_REQUIRED, default true
   * in production).
   */
  pow?: PowService;
  /** Per-source-token budgets (429 TOO_MANY_REQUESTS); none when not given. */
  limits?: SourceLimits;
  /** The no-JS gate and progress check, sized (tests); their defaults when not given. */
  page?: Pick<SourcePagesDeps, 'nojsGate' | 'formProgress'>;
}

/** The no-JS form posts: they stream files and watch their own progress instead. */
const isNoJsForm = (req: Request): boolean =>
  req.method === 'POST' && (req.path === '/submit' || req.path === '/return/reply');

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
  app.use(requestDeadline(deps.config.REQUEST_TIMEOUT_MS, isNoJsForm));
  // The intake is the hot path: its routes go first, on the app itself, so a submission walks
  // no other router's layers and no nested router. No other router claims /v1/submissions, so
  // the order changes no answer.
  const { services, config, pow, limits } = deps;
  submissionsRouter(
    {
      submissions: services.submissions,
      bodyLimitBytes: config.BODY_LIMIT_BYTES,
      maxTextBytes: config.MAX_TEXT_BYTES,
      pow,
      limits,
    },
    app,
  );
  app.use(healthRouter({ readiness: deps.readiness }));
  if (pow) app.use(powRouter({ pow }));
  app.use(intakeKeyRouter({ intakeKeys: services.intakeKeys }));
  app.use(
    repliesRouter({ replies: services.replies, bodyLimitBytes: config.BODY_LIMIT_BYTES, pow }),
  );
  app.use(uploadsRouter({ uploads: services.uploads, pow })); // tus: reads its own bodies
  // The source's pages and the no-JS form (server/page/PAGE.md).
  app.use(
    sourcePagesRouter({
      seal: services.seal,
      sources: services.sources,
      log: deps.log,
      config,
      ...(limits ? { limits } : {}),
      ...deps.page,
    }),
  );
  app.use(notFoundHandler);
  app.use(errorMiddleware(deps.log));
  return app;
}

// The review API (review/app.ts) is a separate listener on REVIEW_HOST:REVIEW_PORT, never
// exposed to sources; it shares the composition root (compose.ts), not this app.
