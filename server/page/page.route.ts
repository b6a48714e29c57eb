import express, { Router, type ErrorRequestHandler, type Request, type Response } from 'express';
import { AppError, E, isAppError } from '../../core/errors';
import { errorFields, type Logger } from '../../core/logger';
import type { Questionnaire } from '../../core/questionnaire';
import { generateReceipt, normaliseReceipt } from '../../crypto';
import { bundlePath, preparePage } from './assets';
import { answersFromForm, type AnswerValue } from './form-answers';
import { parseLang, translator } from './i18n';
import {
  declaredTooLarge,
  formErrors,
  notMultipart,
  readMultipart,
  type BodyWatch,
  type FormLimits,
  type ParsedForm,
} from './multipart';
import type { SealDraft } from './seal.service';
import type { SourceLimits } from '../limits/source-limits';
import { BUSY_RETRY_AFTER_SECONDS, type NoJsGate } from '../pow/nojs-gate';
import { describeProblem } from './page-errors';
import type { SealService } from './seal.service';
import { withSourceKeys, type SourceService } from './source.service';
import { DEFAULT_SITE, type PageContext, type SiteInfo } from './views/layout';
import { addPage, addedPage, returnPage, statusPage } from './views/return.view';
import { receiptPage, submitPage, type SubmitLimits } from './views/submit.view';

// The source's pages, server-rendered: GET / and /return, and the no-JS form posts. Every
// refusal re-renders its form with a message and a 4xx; the receipt is never logged, stored
// or put in a URL. Contract for the page script: PAGE.md.

export interface PageDeps {
  seal: SealService;
  sources: SourceService;
  questionnaire: Questionnaire;
  form: FormLimits;
  /** For the page's text: the largest file and all files together, in plaintext bytes. */
  fileLimits: { perFile: number; perSubmission: number };
  /** Bounds the no-JS posts (Argon2id + files sealed as they stream): a few at once, a budget per minute. */
  gate: NoJsGate;
  /** The same per-receipt buckets as the JSON API: status checks and additions to a case. */
  limits?: SourceLimits;
  log: Logger;
  /** The operator's name, contact, .onion address and quick-exit target, for every page. */
  site?: SiteInfo;
}

const MB = 1024 * 1024;
const megabytes = (bytes: number): number =>
  bytes >= 10 * MB ? Math.floor(bytes / MB) : Math.floor((bytes / MB) * 100) / 100;

type Render = (ctx: PageContext, message: string) => string;

export function pageRouter(deps: PageDeps): Router {
  const router = Router();
  const limits: SubmitLimits = {
    maxFiles: deps.form.maxFiles,
    fileMb: megabytes(deps.fileLimits.perFile),
    maxMb: megabytes(deps.fileLimits.perSubmission),
  };
  const site = deps.site ?? DEFAULT_SITE;
  const receiptForm = express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 8 });

  function context(req: Request, res: Response): PageContext {
    const lang = parseLang(req.query.lang);
    const script = bundlePath() !== null;
    return { lang, t: translator(lang), nonce: preparePage(res), script, site };
  }

  /** Known problems re-render the page; anything else is logged by class and code, then a 500. */
  function refuse(res: Response, ctx: PageContext, err: unknown, render: Render) {
    const problem = describeProblem(err, { ...ctx, limits, questionnaire: deps.questionnaire });
    if (!problem) deps.log.error('page.error', errorFields(err));
    const { status, message } = problem ?? { status: 500, message: ctx.t('error.internal') };
    const busy = (err as { code?: unknown } | null)?.code === 'PAGE_BUSY';
    if (status === 503) res.setHeader('Retry-After', busy ? `${BUSY_RETRY_AFTER_SECONDS}` : '30');
    const slow = (err as { code?: unknown } | null)?.code === 'UPLOAD_TOO_SLOW';
    if (busy || slow) res.setHeader('Connection', 'close'); // its body may be left unread
    // The stable code for machines (tests, the page script); people read the message.
    if (problem && isAppError(err)) res.setHeader('X-Sori-Error', err.code);
    res.status(status).send(render(ctx, message));
  }

  /**
   * Refused before the gate, so they cost no body place and no budget: not a
   * multipart form (415), or a body whose declared size is hopeless (413, unread).
   */
  function refuseHopeless(req: Request, res: Response): void {
    if (notMultipart(req)) {
      res.setHeader('Connection', 'close'); // its body is left unread
      throw formErrors.mediaType();
    }
    if (declaredTooLarge(req, deps.form)) {
      res.setHeader('Connection', 'close');
      throw formErrors.filesTooLarge();
    }
  }

  /**
   * Reads the multipart form, each file sealed into the draft as it streams in, its progress
   * told to `body` (which may take its place back), then runs `work`; if anything fails, the
   * draft's blobs are deleted before the error goes on.
   */
  async function withForm<T>(
    req: Request,
    body: BodyWatch,
    onForm: (form: ParsedForm) => void,
    work: (form: ParsedForm, draft: SealDraft) => Promise<T>,
  ): Promise<T> {
    const draft = deps.seal.begin();
    try {
      const form = await readMultipart(req, deps.form, (file) => draft.addFile(file), body);
      onForm(form);
      return await work(form, draft);
    } catch (err) {
      await draft.abort();
      throw err;
    }
  }

  const first = (form: ParsedForm, name: string): string => form.fields.get(name)?.[0] ?? '';

  function requireContent(text: string, draft: SealDraft): void {
    if (text.trim() === '' && draft.fileCount === 0) {
      throw new AppError(E.FORM_EMPTY);
    }
  }

  router.get('/', (req, res) => {
    const ctx = context(req, res);
    res.send(submitPage(ctx, { questionnaire: deps.questionnaire, limits }));
  });

  router.post('/submit', async (req, res) => {
    const ctx = context(req, res);
    let values: ParsedForm['fields'] = new Map();
    const render: Render = (c, message) =>
      submitPage(c, { questionnaire: deps.questionnaire, limits, values, error: message });
    try {
      refuseHopeless(req, res);
      const receipt = await deps.gate.stream((slot, body) =>
        withForm(
          req,
          body,
          (form) => (values = form.fields),
          async (form, draft) => {
            const text = first(form, 'text');
            const answers: Record<string, AnswerValue> = answersFromForm(
              deps.questionnaire,
              form.fields,
            );
            requireContent(text, draft);
            const fresh = generateReceipt();
            await slot(() =>
              withSourceKeys(fresh, (keys) =>
                draft.finish({ text, lang: ctx.lang, answers }, keys),
              ),
            );
            return fresh;
          },
        ),
      );
      res.send(receiptPage(ctx, receipt));
    } catch (err) {
      refuse(res, ctx, err, render);
    }
  });

  router.get('/return', (req, res) => {
    res.send(returnPage(context(req, res)));
  });

  router.post('/return', receiptForm, async (req, res) => {
    const ctx = context(req, res);
    try {
      const given: unknown = (req.body as Record<string, unknown> | undefined)?.receipt;
      // Not 20 digits: refused here, before the gate, at no cost to its budget.
      const receipt = normaliseReceipt(typeof given === 'string' ? given : '');
      const view = await deps.gate.run(() =>
        withSourceKeys(receipt, async (keys) => {
          await deps.limits?.take('status', keys.token, res);
          return deps.sources.view(keys);
        }),
      );
      res.send(statusPage(ctx, view, limits));
    } catch (err) {
      refuse(res, ctx, err, (c, message) => returnPage(c, message));
    }
  });

  router.post('/return/reply', async (req, res) => {
    const ctx = context(req, res);
    const render: Render = (c, message) => addPage(c, limits, message);
    try {
      refuseHopeless(req, res);
      await deps.gate.stream((slot, body) =>
        withForm(
          req,
          body,
          () => undefined,
          async (form, draft) => {
            const text = first(form, 'text');
            requireContent(text, draft);
            // Not 20 digits: refused before the derivation, at no cost to the budget.
            const receipt = normaliseReceipt(first(form, 'receipt'));
            await slot(() =>
              withSourceKeys(receipt, async (keys) => {
                await deps.limits?.take('submission', keys.token, res);
                if (!(await deps.sources.known(keys))) throw new AppError(E.RECEIPT_UNKNOWN);
                await draft.finish({ text, lang: ctx.lang }, keys);
              }),
            );
          },
        ),
      );
      res.send(addedPage(ctx));
    } catch (err) {
      refuse(res, ctx, err, render);
    }
  });

  // A bookmarked or reloaded result URL leads back to its form, not to an error.
  router.get('/submit', (req, res) => res.redirect(303, `/?lang=${parseLang(req.query.lang)}`));
  router.get('/return/reply', (req, res) =>
    res.redirect(303, `/return?lang=${parseLang(req.query.lang)}`),
  );

  // What reached no handler's try (the reply form's body parser): the receipt form again.
  const onError: ErrorRequestHandler = (err, req, res, next) => {
    if (res.headersSent) return next(err);
    refuse(res, context(req, res), err, (c, message) => returnPage(c, message));
  };
  router.use(onError);
  return router;
}
