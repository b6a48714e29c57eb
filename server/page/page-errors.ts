import { isAppError } from '../../core/errors';
import { isCryptoError } from '../../crypto';
import type { Questionnaire, QuestionnaireLanguage } from '../../core/questionnaire';
import { BadAnswerError } from './form-answers';
import type { Translate } from './i18n';
import type { SubmitLimits } from './views/submit.view';

// Turns what went wrong into a status and a sentence a frightened person can act on. Every
// input problem is a 4xx with its own message; only the unforeseen is a 500 (logged by code).

export interface PageProblem {
  status: number;
  message: string;
}

// Postgres unreachable, restarting or out of connections: "try again later", not a 500.
const UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P03', '53300']);

function questionLabel(def: Questionnaire, id: string, lang: QuestionnaireLanguage): string {
  const q = def.sections.flatMap((s) => s.questions).find((x) => x.id === id);
  return q ? q.label[lang] : id;
}

export function describeProblem(
  err: unknown,
  ctx: {
    t: Translate;
    lang: QuestionnaireLanguage;
    limits: SubmitLimits;
    questionnaire: Questionnaire;
  },
): PageProblem | null {
  const { t, limits } = ctx;
  if (err instanceof BadAnswerError) {
    const question = questionLabel(ctx.questionnaire, err.questionId, ctx.lang);
    return { status: 400, message: t('error.badAnswer', { question }) };
  }
  if (isCryptoError(err)) {
    return err.code === 'CRYPTO_BAD_RECEIPT'
      ? { status: 400, message: t('error.badReceipt') }
      : null;
  }
  if (isAppError(err)) {
    switch (err.code) {
      case 'FORM_EMPTY':
        return { status: 400, message: t('error.empty') };
      case 'TEXT_TOO_LARGE':
      case 'MANIFEST_TOO_LARGE':
        return { status: 413, message: t('error.textTooLarge') };
      case 'FILES_TOO_LARGE':
        return {
          status: 413,
          message: t('error.filesTooLarge', { each: limits.fileMb, mb: limits.maxMb }),
        };
      case 'TOO_MANY_FILES':
        return { status: 413, message: t('error.tooManyFiles', { count: limits.maxFiles }) };
      case 'RECEIPT_UNKNOWN':
        return { status: 400, message: t('status.none') };
      case 'PAGE_BUSY':
        return { status: 503, message: t('error.busy') };
      case 'TOO_MANY_REQUESTS':
        return { status: 429, message: t('error.receiptLimit') };
      case 'UPLOAD_TOO_SLOW':
        return { status: 408, message: t('error.tooSlow') };
    }
    if (err.status >= 500) return { status: 503, message: t('error.unavailable') };
    return { status: err.status, message: t('error.badForm') };
  }
  // body-parser's own errors (a reply form too large, a bad charset) carry a 4xx status.
  const { status, code } = (err ?? {}) as { status?: unknown; code?: unknown };
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { status, message: t('error.badForm') };
  }
  if (typeof code === 'string' && UNAVAILABLE.has(code)) {
    return { status: 503, message: t('error.unavailable') };
  }
  return null;
}
