import { Router, type IRouter } from 'express';
import { AppError, E } from '../../core/errors';
import { jsonBody } from '../http/json-body.middleware';
import { methodNotAllowed } from '../http/error.middleware';
import { sendJson } from '../http/send-json';
import { parseOrThrow } from '../http/validate';
import { sendPaddedJson } from '../limits/pad-json';
import type { SourceLimits } from '../limits/source-limits';
import { requirePow } from '../pow/pow.route';
import type { PowService } from '../pow/pow.service';
import type { SubmissionService } from './submission.service';
import {
  compiledSubmissionSchema,
  hasUnsupportedVersion,
  statusRequestSchema,
} from './submissions.schema';

const isTooManyRequests = (err: unknown): boolean =>
  err instanceof AppError && err.code === 'TOO_MANY_REQUESTS';

export interface SubmissionsDeps {
  submissions: SubmissionService;
  bodyLimitBytes: number;
  maxTextBytes: number;
  /** Proof of work on both POSTs; absent = not required (tests; main.ts sets POW_REQUIRED). */
  pow?: PowService;
  /** Per-source-token budgets; absent = unlimited. */
  limits?: SourceLimits;
}

/**
 * The intake routes, on `router`. The public app passes itself: the intake is its hot path,
 * and routes on the app's own router spare every submission a second, nested router dispatch
 * (its own per-request closures and state), which a mounted Router would cost.
 */
export function submissionsRouter(deps: SubmissionsDeps, router: IRouter = Router()): IRouter {
  const body = jsonBody(deps.bodyLimitBytes);
  const schema = compiledSubmissionSchema({ MAX_TEXT_BYTES: deps.maxTextBytes });

  // No layer at all when proof of work is off (requirePow would only call next()).
  const pow = deps.pow ? [requirePow(deps.pow)] : [];

  router.post('/v1/submissions', ...pow, ...body, async (req, res) => {
    if (hasUnsupportedVersion(req.body)) {
      throw new AppError(E.UNSUPPORTED_VERSION);
    }
    const input = parseOrThrow(schema, req.body);
    // From here on the envelope is its decoded bytes: the parsed text (its base64 manifest,
    // most of the body) is let go now instead of living as long as the request does.
    req.body = undefined;
    const token = deps.limits && input.sourceToken ? input.sourceToken : null;
    let taken = false;
    if (token) {
      try {
        await deps.limits!.take('submission', token, res);
        taken = true;
      } catch (err) {
        // An empty bucket does not refuse a retry of what is already stored (a client whose
        // connection dropped before the 202): it costs nothing, so it spends nothing.
        if (!isTooManyRequests(err) || !(await deps.submissions.isStoredResend(input))) throw err;
        res.removeHeader('retry-after');
      }
    }
    const { answer, created } = await deps.submissions.acceptOnce(input);
    // The same envelope sent again: one submission, one token.
    if (taken && !created) await deps.limits!.refund('submission', token!);
    sendJson(res, 202, answer);
  });

  // The token travels in a body, never in a URL: URLs end up in logs and histories.
  router.post('/v1/submissions/status', ...pow, ...body, async (req, res) => {
    const { sourceToken } = parseOrThrow(statusRequestSchema, req.body);
    await deps.limits?.take('status', sourceToken, res);
    // Padded: the size of the answer must not tell how many submissions a receipt has.
    sendPaddedJson(res, { submissions: await deps.submissions.listForSourceToken(sourceToken) });
  });

  router.all('/v1/submissions', methodNotAllowed('POST'));
  router.all('/v1/submissions/status', methodNotAllowed('POST'));
  return router;
}
