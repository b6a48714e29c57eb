import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { recordFileKey } from '../../crypto';
import type { RecordFile } from '../../core/record/record-body';
import type { Context } from '../context';
import { ConsoleError } from '../errors';
import { say } from '../messages-ko';
import { safeName } from '../export-files';
import { fetchRecordFile, saveDecrypted } from '../record-files';
import type { OpenedRecord } from '../records';

// `sori files get ID N --rendition`: a document's safe rendition (a PDF drawn from its pages'
// pixels with an OCR text layer, nothing of the original's structure), decrypted under its own
// sub-key of R and checked against the SHA-256 its record states, like the clean copy.

export async function getRendition(
  ctx: Context,
  r: OpenedRecord,
  f: RecordFile,
  n: number,
  outPath: string | undefined,
): Promise<void> {
  const rendition = f.status === 'clean' ? f.rendition : undefined;
  if (!rendition) {
    throw new ConsoleError(
      'RENDITION_NOT_FOUND',
      say('{name} has no safe rendition (only documents get one; see sori show)', { name: f.name }),
    );
  }
  const label = `${f.name} (${say('safe rendition')})`;
  const out =
    outPath ?? join('.', safeName(`${f.name.replace(/\.[^.]*$/, '')}-rendition`, n, 'pdf'));
  if (existsSync(out)) throw new ConsoleError('FILE_EXISTS', `${out} exists already`);
  const { token } = await ctx.currentSession();
  const fetched = await fetchRecordFile(ctx.server, token, r.detail.id, rendition.fileId);
  const key = recordFileKey(r.recordKey, rendition.subkeyId);
  const saved = await saveDecrypted(fetched, key, out, rendition.sha256, label);
  ctx.emit({ recordId: r.detail.id, file: n, rendition: true, out, ...saved }, () =>
    [
      say('Wrote {name} to {path} ({bytes} bytes, SHA-256 checked).', {
        name: label,
        path: out,
        bytes: saved.bytes,
      }),
      say('It is decrypted testimony: keep it encrypted at rest and delete it when done.'),
    ].join('\n'),
  );
}
