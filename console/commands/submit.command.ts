import { appendFileSync, chmodSync, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { initCrypto } from '../../crypto';
import { checkAttachments } from '../attachments';
import { interviewsIn } from '../batch-files';
import { contextOf, type Context } from '../context';
import { ConsoleError } from '../errors';
import { progressBar } from '../render/progress';
import { renderPairs } from '../render/table';
import { fetchIntakeKey, readAnswers, submitTestimony, type IntakeKey } from '../submission';
import { readTextFile } from './entries.command';
import { say } from '../messages-ko';
import { helpText } from '../help-ko';

interface SubmitOptions {
  text?: string;
  answers?: string;
  lang?: string;
  batch?: string;
  receipts?: string;
  expectFingerprint?: string;
  attach: string[];
}

const RETRIES = 5;
const RECEIPT_WARNING =
  'Receipts identify cases: whoever holds one can read the replies and add to that testimony. Keep the receipts file offline and hand each receipt only to its source.';

function checkLang(lang?: string): void {
  if (lang !== undefined && !/^[a-z]{2,3}$/.test(lang))
    throw new ConsoleError('BAD_LANGUAGE', 'A language is a 2 or 3 letter code');
}

async function single(
  ctx: Context,
  intake: IntakeKey,
  o: SubmitOptions & { text: string },
): Promise<void> {
  const text = readTextFile(o.text);
  const answers = o.answers ? readAnswers(o.answers) : undefined;
  checkAttachments(o.attach);
  const s = await submitTestimony(ctx.publicApi(RETRIES), intake, {
    text,
    answers,
    lang: o.lang,
    attach: o.attach,
  });
  ctx.emit({ ...s, intakeKeyId: intake.id, intakeFingerprint: intake.fingerprint }, () =>
    [
      renderPairs([
        [say('submission'), `${s.id} (${s.status})`],
        [say('attachments'), String(s.attachments)],
        [say('receipt'), s.receipt],
      ]),
      '',
      say(
        'Give the receipt to the source, and only to them: with it they read replies and add to their testimony.',
      ),
    ].join('\n'),
  );
}

/** Names already in the receipts file are skipped, so a batch cut short can simply be rerun. */
function alreadySubmitted(path: string): Set<string> {
  if (!existsSync(path)) return new Set();
  return new Set(
    readFileSync(path, 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.split('\t')[0]!),
  );
}

async function batch(
  ctx: Context,
  intake: IntakeKey,
  dir: string,
  o: SubmitOptions,
): Promise<void> {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new ConsoleError('BATCH_NOT_A_FOLDER', `${dir} is not a folder`);
  const interviews = interviewsIn(dir);
  if (interviews.length === 0)
    throw new ConsoleError('BATCH_EMPTY', `No .txt interviews in ${dir}`);
  const receipts = o.receipts ?? join(dir, 'receipts.tsv');
  const done = alreadySubmitted(receipts);
  const todo = interviews.filter((i) => !done.has(i.name));
  checkAttachments(todo.flatMap((i) => i.attachments.map((f) => join(dir, f))));
  process.stderr.write(`${say(RECEIPT_WARNING)}\n`);
  if (!existsSync(receipts))
    appendFileSync(receipts, '# interview\treceipt\tsubmission\n', { mode: 0o600 });
  chmodSync(receipts, 0o600);
  const api = ctx.publicApi(RETRIES);
  const bar = progressBar(todo.length);
  const results: Array<{ interview: string; id: string; receipt: string }> = [];
  try {
    for (const { name, attachments } of todo) {
      const answersPath = join(dir, `${name}.json`);
      const text = readTextFile(join(dir, `${name}.txt`));
      const answers = existsSync(answersPath) ? readAnswers(answersPath) : undefined;
      const attach = attachments.map((f) => join(dir, f));
      const s = await submitTestimony(api, intake, { text, answers, lang: o.lang, attach });
      // Written at once: a receipt lost after its submission was accepted cannot be recovered.
      appendFileSync(receipts, `${name}\t${s.receipt}\t${s.id}\n`, { mode: 0o600 });
      results.push({ interview: name, id: s.id, receipt: s.receipt });
      bar.tick(name);
    }
  } finally {
    bar.done();
  }
  const skipped = interviews.length - todo.length;
  ctx.emit(
    {
      receiptsFile: receipts,
      submitted: results.map(({ interview, id }) => ({ interview, id })),
      skipped,
    },
    () =>
      [
        `Submitted ${results.length} interview(s)${skipped ? `, skipped ${skipped} already in the receipts file` : ''}.`,
        `Receipts: ${receipts} (mode 0600).`,
      ].join('\n'),
  );
}

export function registerSubmit(program: Command): void {
  program
    .command('submit')
    .description(
      'encrypt a testimony on this machine and send it to the intake API (for intermediaries)',
    )
    .option('--text <file>', 'UTF-8 text of the testimony')
    .option('--answers <file>', 'questionnaire answers as a JSON object')
    .option('--lang <code>', 'language of the text, if known (ko, ru, …)')
    .option(
      '--attach <file>',
      'a photo, recording or document to send with --text (repeat for more)',
      (file: string, all: string[]) => [...all, file],
      [] as string[],
    )
    .option(
      '--batch <dir>',
      'submit every DIR/NAME.txt, with DIR/NAME.json answers and DIR/NAME.*.EXT attachments',
    )
    .option('--receipts <file>', 'batch: where receipts are written (default DIR/receipts.tsv)')
    .option('--expect-fingerprint <fp>', 'refuse unless the intake key has this fingerprint')
    .addHelpText(
      'after',
      [
        '',
        helpText(
          'Attachments are encrypted here and uploaded resumably (tus) before the testimony is sent; their names and types travel only inside the encrypted manifest. The worker strips their metadata; files it cannot clean are held back from reviewers.',
        ),
        '',
        helpText('Batch folder, one interview per NAME:'),
        `  interview-01.txt            ${helpText('the testimony')}`,
        `  interview-01.json           ${helpText('questionnaire answers (optional)')}`,
        `  interview-01.1.jpg          ${helpText('attachments: NAME.LABEL.EXT, sent in name order')}`,
        '  interview-01.contract.pdf',
      ].join('\n'),
    )
    .action(async (o: SubmitOptions, cmd: Command) => {
      const ctx = contextOf(cmd);
      if ((o.text === undefined) === (o.batch === undefined)) {
        throw new ConsoleError('SUBMIT_INPUT_REQUIRED', 'Give either --text FILE or --batch DIR');
      }
      if (o.batch !== undefined && o.attach.length > 0) {
        throw new ConsoleError(
          'SUBMIT_INPUT_REQUIRED',
          'In batch mode attachments are DIR/NAME.LABEL.EXT files, not --attach',
        );
      }
      if (o.batch !== undefined && o.answers !== undefined) {
        throw new ConsoleError(
          'SUBMIT_INPUT_REQUIRED',
          'In batch mode answers come from DIR/NAME.json, not --answers',
        );
      }
      checkLang(o.lang);
      await initCrypto();
      const intake = await fetchIntakeKey(ctx.publicApi(RETRIES), o.expectFingerprint);
      process.stderr.write(`Intake key ${intake.id}, fingerprint ${intake.fingerprint}\n`);
      if (o.text !== undefined) await single(ctx, intake, { ...o, text: o.text });
      else await batch(ctx, intake, o.batch as string, o);
    });
}
