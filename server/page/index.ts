import { Router } from 'express';
import type { Config } from '../../core/config';
import type { Logger } from '../../core/logger';
import {
  questionnaire as shippedQuestionnaire,
  type Questionnaire,
} from '../../core/questionnaire';
import type { SourceLimits } from '../limits/source-limits';
import { createNoJsGate, type NoJsGateSettings } from '../pow/nojs-gate';
import { assetsRouter } from './assets';
import { pageRouter } from './page.route';
import { largestPlaintext, type SealService } from './seal.service';
import type { SourceService } from './source.service';
import type { SiteInfo } from './views/layout';

export { pageCsp } from './assets';

export const NOJS_MAX_FILES = 10;
/** The questionnaire's fields plus text, lang and a few the page script or PoW may add. */
const NOJS_MAX_FIELDS = 400;

export type PageConfig = Pick<
  Config,
  | 'MAX_TEXT_BYTES'
  | 'MAX_UPLOAD_BYTES'
  | 'MAX_SUBMISSION_UPLOAD_BYTES'
  | 'ORG_NAME'
  | 'ORG_CONTACT'
  | 'ORG_ONION'
  | 'QUICK_EXIT_URL'
>;

export interface SourcePagesDeps {
  seal: SealService;
  sources: SourceService;
  log: Logger;
  config: PageConfig;
  questionnaire?: Questionnaire;
  /** Per-receipt token buckets, shared with the JSON API (server/limits/source-limits.ts). */
  limits?: SourceLimits;
  /** The no-JS form's progress check (server/page/multipart.ts); tests shorten it. */
  formProgress?: { windowMs: number; minBytes: number };
  /** The no-JS posts' concurrency gate and per-minute budget (server/pow/nojs-gate.ts). */
  nojsGate?: Partial<NoJsGateSettings>;
}

/** The source's pages (GET /, /return, the no-JS posts) and their assets, on the public app. */
export function sourcePagesRouter(deps: SourcePagesDeps): Router {
  const { config } = deps;
  const router = Router();
  router.use(assetsRouter());
  router.use(
    pageRouter({
      seal: deps.seal,
      sources: deps.sources,
      questionnaire: deps.questionnaire ?? shippedQuestionnaire,
      form: {
        maxFieldBytes: config.MAX_TEXT_BYTES,
        // Of ciphertext, like the tus uploads'; files stream, so no memory cap.
        maxFileBytes: config.MAX_SUBMISSION_UPLOAD_BYTES,
        maxFiles: NOJS_MAX_FILES,
        maxFields: NOJS_MAX_FIELDS,
        ...(deps.formProgress ? { progress: deps.formProgress } : {}),
      },
      fileLimits: {
        perFile: largestPlaintext(config.MAX_UPLOAD_BYTES),
        perSubmission: largestPlaintext(config.MAX_SUBMISSION_UPLOAD_BYTES),
      },
      gate: createNoJsGate(deps.nojsGate),
      ...(deps.limits ? { limits: deps.limits } : {}),
      log: deps.log,
      site: siteInfo(config),
    }),
  );
  return router;
}

function siteInfo(c: PageConfig): SiteInfo {
  const onion = c.ORG_ONION?.replace(/^https?:\/\//, '').replace(/\/$/, '');
  return {
    orgName: c.ORG_NAME ?? null,
    orgContact: c.ORG_CONTACT ?? null,
    onion: onion ? `http://${onion}/` : null,
    quickExitUrl: c.QUICK_EXIT_URL,
  };
}
