// Two revisions, both with cross-reference streams, whose trailers point at one shared Info
// dictionary: deleting /Info from the newest trailer left the object reachable from the older
// one, and the saved file still carried it (held back). The output must be one clean revision.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PdfSanitiser } from '../../../worker/sanitise/pdf.sanitiser';
import {
  dumpTags,
  qpdfExpand,
  recoverable,
  sanitiseTestDirs,
} from '../../fixtures/make-sanitise-context';

const dirs = sanitiseTestDirs();
const PLANTED = ['PLANT-REV-AUTHOR', 'PLANT-REV-PRODUCER', 'PLANT-REV-XMP', 'PLANT-REV2-TITLE'];
const TEXT = 'Revision text';

/** Revision 1 written by qpdf with object and xref streams; revision 2 appended by hand. */
function twoRevisions(dir: string): Buffer {
  const source = join(dir, 'rev-source.pdf');
  writeFileSync(
    source,
    [
      '%PDF-1.7',
      '1 0 obj << /Type /Catalog /Pages 2 0 R /Metadata 7 0 R >> endobj',
      '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
      '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R ' +
        '/Resources << /Font << /F1 5 0 R >> >> >> endobj',
      `4 0 obj << /Length 44 >> stream\nBT /F1 14 Tf 20 150 Td (${TEXT}) Tj ET\nendstream endobj`,
      '5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj',
      '6 0 obj << /Author (PLANT-REV-AUTHOR) /Producer (PLANT-REV-PRODUCER) >> endobj',
      '7 0 obj << /Type /Metadata /Subtype /XML /Length 34 >> stream\n' +
        '<x:xmpmeta>PLANT-REV-XMP</x:xmpmeta>\nendstream endobj',
      'trailer << /Root 1 0 R /Info 6 0 R /Size 8 >>',
      '%%EOF',
    ].join('\n'),
  );
  const rev1Path = join(dir, 'rev1.pdf');
  const run = spawnSync('qpdf', [source, '--object-streams=generate', rev1Path]);
  expect([0, 3]).toContain(run.status); // 3: it repaired the hand-written xref, as meant
  const rev1 = readFileSync(rev1Path);
  const trailer = /\/Type \/XRef[^]*?>>\s*stream/.exec(rev1.toString('latin1'))![0];
  const info = /\/Info (\d+) 0 R/.exec(trailer)![1];
  const root = /\/Root (\d+) 0 R/.exec(trailer)![1];
  const size = Number(/\/Size (\d+)/.exec(trailer)![1]);
  const prev = Number(/startxref\s+(\d+)/.exec(rev1.toString('latin1').slice(-64))![1]);
  // Revision 2: a new object (a Title planted in an unreferenced dictionary) and its xref
  // stream, whose trailer names the same Info object as revision 1's.
  const added = `${size} 0 obj\n<< /Title (PLANT-REV2-TITLE) >>\nendobj\n`;
  const addedAt = rev1.length;
  const xrefAt = addedAt + added.length;
  const row = (type: number, offset: number) => {
    const b = Buffer.alloc(7);
    b[0] = type;
    b.writeUInt32BE(offset, 1);
    return b;
  };
  const rows = Buffer.concat([row(1, addedAt), row(1, xrefAt)]);
  const xref = Buffer.concat([
    Buffer.from(
      `${size + 1} 0 obj\n<< /Type /XRef /W [1 4 2] /Index [${size} 2] /Size ${size + 2} ` +
        `/Prev ${prev} /Root ${root} 0 R /Info ${info} 0 R /ID [<AB12AB12><AB12AB12>] ` +
        `/Length ${rows.length} >>\nstream\n`,
      'latin1',
    ),
    rows,
    Buffer.from(`\nendstream\nendobj\nstartxref\n${xrefAt}\n%%EOF\n`, 'latin1'),
  ]);
  const out = Buffer.concat([rev1, Buffer.from(added, 'latin1'), xref]);
  // The fixture is what it claims: qpdf reads two xref streams and the shared Info.
  const path = join(dir, 'two-revisions.pdf');
  writeFileSync(path, out);
  const check = spawnSync('qpdf', ['--check', path]);
  expect(check.status).toBe(0);
  expect(execFileSync('qpdf', ['--show-xref', path]).toString()).toContain('compressed');
  return out;
}

test('two revisions sharing an Info dictionary come out as one clean revision', async () => {
  const input = twoRevisions(dirs.fixtures);
  const result = await new PdfSanitiser().sanitise(input, dirs.ctx);
  if (result.status !== 'clean') throw new Error(JSON.stringify(result));
  const expanded = qpdfExpand(result.data, dirs.fixtures);
  const { text } = await dumpTags(result.data, 'pdf', dirs.ctx);
  expect(recoverable(result.data, PLANTED, expanded, text)).toEqual([]);
  expect(expanded).not.toMatch(/\/Info\b|\/Metadata\b/);
  // qpdf --qdf writes an /ID of its own, so the trailer is read from the output itself.
  expect(result.data.toString('latin1')).not.toMatch(/\/ID\b|\/Info\b/);
  expect(result.data.toString('latin1').match(/startxref/g)).toHaveLength(1);
  expect(expanded).toContain(TEXT); // the text and its font stay
  expect(expanded).toContain('/BaseFont /Helvetica');
  expect(result.report.removed).toEqual(
    expect.arrayContaining(['PDF Info dictionary', 'trailer /ID', 'XMP metadata streams']),
  );
});
