import type { RecordBodyV1, RecordFile } from '../../core/record/record-body';
import { formatBytes } from './format-bytes';
import { readingLines } from './file-readings';
import { say } from '../messages-ko';

// The "Files" section of `sori show`: each attachment with its type, size and whether the
// worker could clean it (and what it removed), plus originals kept out of reviewers' reach.

function fileLines(f: RecordFile, n: number): string[] {
  if (f.status === 'clean') {
    const removed = f.report.removed.length ? f.report.removed.join(', ') : say('nothing');
    return [
      `${n}. ${f.name}  ${f.mime}  ${formatBytes(f.size)}  ${say('clean ({format})', { format: f.report.format })}`,
      `   ${say('removed: {what}', { what: removed })}`,
      ...(f.report.kept.length
        ? [`   ${say('kept: {what}', { what: f.report.kept.join(', ') })}`]
        : []),
      ...readingLines(f, n),
    ];
  }
  const held = f.fileId
    ? say('original held back for admins (sori export --include-originals)')
    : say('original not kept');
  return [
    `${n}. ${f.name}  ${formatBytes(f.size)}  ${say('UNSANITISED ({reason})', { reason: f.reason })}`,
    `   ${held}`,
    ...(f.report?.removed.length
      ? [`   ${say('removed before failing: {what}', { what: f.report.removed.join(', ') })}`]
      : []),
  ];
}

export function filesLines(body: Pick<RecordBodyV1, 'files' | 'originals'>): string[] {
  const files = body.files ?? [];
  if (files.length === 0) return [say('none')];
  const lines = files.flatMap((f, i) => fileLines(f, i + 1));
  const o = body.originals;
  if (o?.custodian)
    lines.push(
      say('originals sealed to the offline custodian: {n} (not readable here)', { n: o.count }),
    );
  return lines;
}
