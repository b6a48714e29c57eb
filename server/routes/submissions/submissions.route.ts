import { Router } from 'express';
import { badRequest } from '../../../core/errors';
import { jsonBody } from '../../http/json-body.middleware';
import { methodNotAllowed } from '../../http/error.middleware';
import { parseOrThrow } from '../../http/validate';
import type { SubmissionService } from '../../services/submission.service';
import { hasUnsupportedVersion, statusRequestSchema, submissionSchema } from './submissions.schema';

export function submissionsRouter(deps: {
  submissions: SubmissionService;
  bodyLimitBytes: number;
  maxTextBytes: number;
}): Router {
  const router = Router();
  const body = jsonBody(deps.bodyLimitBytes);
  const schema = submissionSchema({ MAX_TEXT_BYTES: deps.maxTextBytes });

  router.post('/v1/submissions', ...body, async (req, res) => {
    if (hasUnsupportedVersion(req.body)) {
      throw badRequest('UNSUPPORTED_VERSION', 'Envelope version is not supported');
    }
    const input = parseOrThrow(schema, req.body);
    const accepted = await deps.submissions.accept(input);
    res.status(202).json(accepted);
  });

  // The token travels in a body, never in a URL: URLs end up in logs and histories.
  router.post('/v1/submissions/status', ...body, async (req, res) => {
    const { sourceToken } = parseOrThrow(statusRequestSchema, req.body);
    res.json({ submissions: await deps.submissions.listForSourceToken(sourceToken) });
  });

  router.all('/v1/submissions', methodNotAllowed('POST'));
  router.all('/v1/submissions/status', methodNotAllowed('POST'));
  return router;
}
