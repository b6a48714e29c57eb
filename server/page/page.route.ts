import express, { Router, type ErrorRequestHandler, type Request, type Response } from 'express';
import { badRequest } from '../../core/errors';
import { errorFields, type Logger } from '../../core/logger';
import type { Questionnaire } from '../../core/questionnaire';
import { generateReceipt } from '../../crypto';
import { bundlePath, preparePage } from './assets';
import { answersFromForm, type AnswerValue } from './form-answers';
import { parseLang, translator } from './i18n';
import {
  declaredTooLarge,
  formErrors,
  readMultipart,
  type FormLimits,
  type ParsedForm,
} from './multipart';
import { BUSY_RETRY_AFTER_SECONDS, type NoJsGate } from '../pow/nojs-gate';
import { describeProblem } from './page-errors';
import type { SealService } from './seal.service';
import { withSourceKeys, type SourceService } from './source.service';
import type { PageContext } from './views/layout';
import { addPage, addedPage, returnPage, statusPage } from './views/return.view';
import { receiptPage, submitPage, type SubmitLimits } from './views/submit.view';

// The source's pages, server-rendered: GET / and /return, and the no-JS form posts. Every
// refusal re-renders its form with a message and a 4xx; the receipt is never logged, stored
// or put in a URL. Contract for the page script: PAGE.md.

export interface PageRouterDeps {
  seal: SealService;
  sources: SourceService;
  questionnaire: Questionnaire;
  form: FormLimits;
  /** Bounds the no-JS posts (Argon2id + buffered files): a few at once, a budget per minute. */
  gate: NoJsGate;
  log: Logger;
}

const MB = 1024 * 1024;
const megabytes = (bytes: number): number =>
  bytes >= 10 * MB ? Math.floor(bytes / MB) : Math.floor((bytes / MB) * 100) / 100;

type Render = (ctx: PageContext, message: string) => string;

export function pageRouter(deps: PageRouterDeps): Router {
  const router = Router();
  const limits: SubmitLimits = {
    maxFiles: deps.form.maxFiles,
    maxMb: megabytes(deps.form.maxFileBytes),
  };
  const receiptForm = express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 8 });

  function context(req: Request, res: Response): PageContext {
    const lang = parseLang(req.query.lang);
    return { lang, t: translator(lang), nonce: preparePage(res), script: bundlePath() !== null };
  }

  /** Known problems re-render the page; anything else is logged by class and code, then a 500. */
  function refuse(res: Response, ctx: PageContext, err: unknown, render: Render) {
    const problem = describeProblem(err, { ...ctx, limits, questionnaire: deps.questionnaire });
    if (!problem) deps.log.error('page.error', errorFields(err));
    const { status, message } = problem ?? { status: 500, message: ctx.t('error.internal') };
    const busy = (err as { code?: unknown } | null)?.code === 'PAGE_BUSY';
    if (status === 503) res.setHeader('Retry-After', busy ? `${BUSY_RETRY_AFTER_SECONDS}` : '30');
    if (busy) res.setHeader('Connection', 'close'); // its body may be left unread
    res.status(status).send(render(ctx, message));
  }

  /** Reads the multipart form, or answers 413 at once when its declared size is hopeless. */
  async function readForm(req: Request, res: Response): Promise<ParsedForm> {
    if (declaredTooLarge(req, deps.form)) {
      res.setHeader('Connection', 'close');
      throw formErrors.filesTooLarge();
    }
    return readMultipart(req, deps.form);
  }

  const first = (form: ParsedForm, name: string): string => form.fields.get(name)?.[0] ?? '';

  function requireContent(text: string, form: ParsedForm): void {
    if (text.trim() === '' && form.files.length === 0) {
      throw badRequest('FORM_EMPTY', 'Nothing to send');
    }
  }

  router.get('/', (req, res) => {
    const ctx = context(req, res);
    res.send(submitPage(ctx, { questionnaire: deps.questionnaire, limits }));
  });

  router.post('/submit', async (req, res) => {
    const ctx = context(req, res);
    let form: ParsedForm = { fields: new Map(), files: [] };
    const render: Render = (c, message) =>
      submitPage(c, {
        questionnaire: deps.questionnaire,
        limits,
        values: form.fields,
        error: message,
      });
    try {
      const receipt = await deps.gate.run(async () => {
        form = await readForm(req, res);
        const text = first(form, 'text');
        const answers: Record<string, AnswerValue> = answersFromForm(
          deps.questionnaire,
          form.fields,
        );
        requireContent(text, form);
        const fresh = generateReceipt();
        await withSourceKeys(fresh, (keys) =>
          deps.seal.seal({ text, lang: ctx.lang, answers, files: form.files }, keys),
        );
        return fresh;
      });
      res.send(receiptPage(ctx, receipt));
    } catch (err) {
      refuse(res, ctx, err, render);
    } finally {
      form.files.forEach((f) => f.data.fill(0));
    }
  });

  router.get('/return', (req, res) => {
    res.send(returnPage(context(req, res)));
  });

  router.post('/return', receiptForm, async (req, res) => {
    const ctx = context(req, res);
    try {
      const receipt: unknown = (req.body as Record<string, unknown> | undefined)?.receipt;
      const view = await deps.gate.run(() =>
        withSourceKeys(typeof receipt === 'string' ? receipt : '', (keys) =>
          deps.sources.view(keys),
        ),
      );
      res.send(statusPage(ctx, view, limits));
    } catch (err) {
      refuse(res, ctx, err, (c, message) => returnPage(c, message));
    }
  });

  router.post('/return/reply', async (req, res) => {
    const ctx = context(req, res);
    let form: ParsedForm = { fields: new Map(), files: [] };
    const render: Render = (c, message) => addPage(c, limits, message);
    try {
      await deps.gate.run(async () => {
        form = await readForm(req, res);
        const text = first(form, 'text');
        requireContent(text, form);
        await withSourceKeys(first(form, 'receipt'), async (keys) => {
          if (!(await deps.sources.known(keys)))
            throw badRequest('RECEIPT_UNKNOWN', 'No such case');
          await deps.seal.seal({ text, lang: ctx.lang, files: form.files }, keys);
        });
      });
      res.send(addedPage(ctx));
    } catch (err) {
      refuse(res, ctx, err, render);
    } finally {
      form.files.forEach((f) => f.data.fill(0));
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
