import { Router } from 'express';
import { badRequest } from '../../../core/errors';
import { jsonBody } from '../../http/json-body.middleware';
import { methodNotAllowed } from '../../http/error.middleware';
import { parseOrThrow } from '../../http/validate';
import { sendPaddedJson } from '../../limits/pad-json';
import type { SourceLimits } from '../../limits/source-limits';
import { requirePow } from '../../pow/pow.route';
import type { PowService } from '../../pow/pow.service';
import type { SubmissionService } from '../../services/submission.service';
import { hasUnsupportedVersion, statusRequestSchema, submissionSchema } from './submissions.schema';

export function submissionsRouter(deps: {
  submissions: SubmissionService;
  bodyLimitBytes: number;
  maxTextBytes: number;
  /** Proof of work on both POSTs; absent = not required (tests; main.ts sets POW_REQUIRED). */
  pow?: PowService;
  /** Per-source-token budgets; absent = unlimited. */
  limits?: SourceLimits;
}): Router {
  const router = Router();
  const body = jsonBody(deps.bodyLimitBytes);
  const schema = submissionSchema({ MAX_TEXT_BYTES: deps.maxTextBytes });

  // No layer at all when proof of work is off (requirePow would only call next()).
  const pow = deps.pow ? [requirePow(deps.pow)] : [];

  router.post('/v1/submissions', ...pow, ...body, async (req, res) => {
    if (hasUnsupportedVersion(req.body)) {
      throw badRequest('UNSUPPORTED_VERSION', 'Envelope version is not supported');
    }
    const input = parseOrThrow(schema, req.body);
    if (input.sourceToken) await deps.limits?.take('submission', input.sourceToken, res);
    const accepted = await deps.submissions.accept(input);
    res.status(202).json(accepted);
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
