import type { RecordBodyV1 } from '../../core/record/record-body';
import { indicatorName } from '../../core/questionnaire';
import { describeEntry } from '../entries';
import { answerLines } from './answers';
import { filesLines } from './files';
import type { OpenedRecord } from '../records';
import { sideBySide } from './side-by-side';
import { renderPairs } from './table';
import { wrap } from './width';
import { say } from '../messages-ko';

// `sori show`: the header, original and translation side by side, what was stripped, the
// questionnaire answers and the entries (author and day only: days, never times).

export interface ShownTranslation {
  title: string;
  text: string;
  /** Who made it, for a caller that words the title itself (the desk, in its language). */
  by?: { human: string } | { engine: string } | { none: string };
}

/** A human translation wins over the machine one; the latest of each kind wins. */
export function pickTranslation(r: OpenedRecord): ShownTranslation {
  const latest = <K extends string>(kind: K) =>
    [...r.entries].reverse().find((e) => e.content.kind === kind);
  const human = latest('human-translation');
  if (human?.content.kind === 'human-translation') {
    return {
      title: `Translation (${human.content.target}, human: ${human.authorName ?? 'unknown'})`,
      text: human.content.text,
      by: { human: human.authorName ?? 'unknown' },
    };
  }
  const machine = latest('translation');
  if (machine?.content.kind === 'translation') {
    return {
      title: `Translation (${machine.content.target}, ${machine.content.engine})`,
      text: machine.content.text,
      by: { engine: machine.content.engine },
    };
  }
  const t = r.body.translation;
  if ('text' in t)
    return {
      title: `Translation (${t.target}, ${t.engine} ${t.engineVersion})`,
      text: t.text,
      by: { engine: `${t.engine} ${t.engineVersion}` },
    };
  return {
    title: 'Translation',
    text: `(not translated: ${t.reason}${t.code ? `, ${t.code}` : ''})`,
    by: { none: t.reason },
  };
}

export function sanitisationLines(body: RecordBodyV1): string[] {
  const s = body.sanitisation;
  const removed = Object.entries(s.removed).filter(([, n]) => n > 0);
  const lines = [
    removed.length
      ? `removed: ${removed.map(([k, n]) => `${k} ${n}`).join(', ')}`
      : 'removed: nothing',
  ];
  const changed: Array<[string, number]> = [
    ['newlines normalised', s.newlinesNormalised],
    ['spaces normalised', s.spacesNormalised],
    ['NFKC changes', s.nfkcChanged],
    ['trailing spaces trimmed', s.trailingSpacesTrimmed],
  ];
  const nonZero = changed.filter(([, n]) => n > 0);
  if (nonZero.length) lines.push(`normalised: ${nonZero.map(([k, n]) => `${k} ${n}`).join(', ')}`);
  lines.push(`length: ${s.lengthBefore} → ${s.lengthAfter} characters`);
  const a = body.answersSanitisation;
  if (a) {
    const fromAnswers = Object.entries(a).filter(([, n]) => n > 0);
    lines.push(
      `answers: ${fromAnswers.length ? fromAnswers.map(([k, n]) => `${k} ${n}`).join(', ') : 'nothing removed'}`,
    );
  }
  return lines;
}

export function renderRecord(r: OpenedRecord, width: number): string {
  const { detail, body } = r;
  const lang = `${body.lang.code} (${body.lang.method}, ${body.lang.confidence.toFixed(2)}${body.lang.declared ? `, declared ${body.lang.declared}` : ''})`;
  const parts = [
    say('Record {id}', { id: detail.id }),
    renderPairs([
      [say('received'), detail.receivedOn],
      [say('language'), lang],
      [say('status'), detail.status],
      [say('translated'), say(detail.translated ? 'yes' : 'no')],
      [say('source can be answered'), say(body.sourcePublicKey ? 'yes' : 'no')],
    ]),
    '',
    sideBySide(
      { title: say('Original ({lang})', { lang: body.lang.code }), text: body.text },
      pickTranslation(r),
      width,
    ),
    '',
    say('Sanitisation'),
    ...sanitisationLines(body).map((l) => `  ${l}`),
    '',
    say('Files'),
    ...filesLines(body).map((l) => `  ${l}`),
  ];
  const answers = answerLines(body.answers ?? {}, width);
  if (answers.length) parts.push('', say('Answers'), ...answers);
  // Computed by the worker from the answers; records older than the questionnaire have none.
  const indicators = body.indicators ?? [];
  if (indicators.length) {
    parts.push('', say('ILO forced-labour indicators (from the answers)'));
    for (const id of indicators) parts.push(`  ${indicatorName(id)} (${id})`);
  }
  parts.push('', say('Entries'));
  if (r.entries.length === 0) parts.push(`  ${say('none')}`);
  for (const e of r.entries) {
    // Full text, wrapped under a header line: notes and translations are read, not skimmed.
    parts.push(`  #${e.seq}  ${e.createdOn}  ${e.authorName ?? 'worker'}  ${e.kind}`);
    for (const line of wrap(describeEntry(e.content), Math.max(20, width - 6)))
      parts.push(`      ${line}`);
  }
  return parts.join('\n');
}

/** The --json shape of an opened record (also what export writes as record.json's core). */
export function recordJson(r: OpenedRecord): Record<string, unknown> {
  const { detail } = r;
  return {
    id: detail.id,
    receivedOn: detail.receivedOn,
    language: detail.language,
    status: detail.status,
    translated: detail.translated,
    body: r.body,
    entries: r.entries.map((e) => ({
      id: e.id,
      seq: Number(e.seq),
      kind: e.kind,
      authorId: e.authorId,
      authorName: e.authorName,
      createdOn: e.createdOn,
      content: e.content,
    })),
  };
}
