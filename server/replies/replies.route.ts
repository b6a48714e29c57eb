import { Router } from 'express';
import { toBase64 } from '../../crypto';
import { methodNotAllowed } from '../http/error.middleware';
import { jsonBody } from '../http/json-body.middleware';
import { parseOrThrow } from '../http/validate';
import { sendPaddedJson } from '../limits/pad-json';
import { requirePow } from '../pow/pow.route';
import type { PowService } from '../pow/pow.service';
import type { RepliesService } from './replies.service';
import { statusRequestSchema } from '../intake/submissions.schema';

// A source's replies, still sealed: the page opens them with the key its receipt derives,
// so the server never handles anything it could read. The token travels in the body, is
// hashed on arrival and compared as a hash; an unknown token gets an empty list.

export interface RepliesDeps {
  replies: RepliesService;
  bodyLimitBytes: number;
  /** The same proof of work as the status check (none when not given). */
  pow?: PowService;
}

export function repliesRouter(deps: RepliesDeps): Router {
  const router = Router();
  router.post(
    '/v1/replies',
    requirePow(deps.pow),
    ...jsonBody(deps.bodyLimitBytes),
    async (req, res) => {
      const { sourceToken } = parseOrThrow(statusRequestSchema, req.body);
      const rows = await deps.replies.sealedFor(sourceToken);
      // Padded like the status answer: its size must not tell how many replies a case has.
      sendPaddedJson(res, {
        replies: rows.map((r) => ({
          id: r.id,
          sealed: toBase64(r.sealed),
          createdOn: r.createdOn,
        })),
      });
    },
  );
  router.all('/v1/replies', methodNotAllowed('POST'));
  return router;
}
