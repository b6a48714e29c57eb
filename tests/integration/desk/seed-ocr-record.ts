import type { Pool } from 'pg';
import { completeSubmission } from '../../../core/repositories/processing.repository';
import { insertRecord, insertRecordKeys } from '../../../core/repositories/record.repository';
import { insertSubmission } from '../../../core/repositories/submission.repository';
import {
  encryptRecordBody,
  newRecordKey,
  randomBytes,
  randomId,
  recordFileKey,
  sha256,
  sha256Hex,
  wrapRecordKey,
} from '../../../crypto';
import { storeEncrypted } from '../review-files/file-fixtures';
import { ocrPhotoFile, recordBodyWithOcr } from './ocr-record';

// Stores, as the worker will once it reads pictures (issue 15), a record whose photo of a paper
// carries OCR text, its translation and a safe PDF rendition: real encrypted blobs under the
// record key, sealed to the given readers. The day the worker makes these itself, a test swaps
// this call for a submitted photo and keeps every check.

/** A one-page PDF that only draws the JPEG, as a rendition is: pictures of pages, nothing else. */
export function imageOnlyPdf(jpeg: Buffer): Buffer {
  const { width, height } = jpegSize(jpeg);
  const parts: Buffer[] = [];
  const offsets: number[] = [];
  let length = 0;
  const put = (b: Buffer | string) => {
    const buf = typeof b === 'string' ? Buffer.from(b, 'latin1') : b;
    parts.push(buf);
    length += buf.length;
  };
  const content = `q ${width} 0 0 ${height} 0 0 cm /Im1 Do Q`;
  const objects: Array<string | [string, Buffer]> = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${width} ${height}] /Contents 4 0 R /Resources << /XObject << /Im1 5 0 R >> >> >>`,
    [`<< /Length ${content.length} >>`, Buffer.from(content, 'latin1')],
    [
      `<< /Type /XObject /Subtype /Image /Width ${width} /Height ${height} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length ${jpeg.length} >>`,
      jpeg,
    ],
  ];
  put('%PDF-1.4\n');
  objects.forEach((o, i) => {
    offsets.push(length);
    put(`${i + 1} 0 obj\n`);
    if (typeof o === 'string') put(`${o}\n`);
    else {
      put(`${o[0]}\nstream\n`);
      put(o[1]);
      put('\nendstream\n');
    }
    put('endobj\n');
  });
  const xref = length;
  put(`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`);
  for (const off of offsets) put(`${String(off).padStart(10, '0')} 00000 n \n`);
  put(`trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  return Buffer.concat(parts);
}

/** Width and height from a baseline or progressive JPEG's frame header. */
function jpegSize(jpeg: Buffer): { width: number; height: number } {
  let i = 2;
  while (i + 9 < jpeg.length) {
    if (jpeg[i] !== 0xff) throw new Error('not a JPEG marker');
    const marker = jpeg[i + 1]!;
    if (marker === 0xc0 || marker === 0xc1 || marker === 0xc2)
      return { height: jpeg.readUInt16BE(i + 5), width: jpeg.readUInt16BE(i + 7) };
    i += 2 + jpeg.readUInt16BE(i + 2);
  }
  throw new Error('JPEG without a frame header');
}

export async function seedOcrRecord(
  pool: Pool,
  readers: ReadonlyArray<{ id: string; boxPublicKey: Uint8Array }>,
  photo: Buffer,
): Promise<{ id: string }> {
  const intake = await pool.query<{ id: string }>(
    `SELECT id FROM intake_keys WHERE status IN ('current', 'accepting') LIMIT 1`,
  );
  const submissionId = randomId();
  await insertSubmission(pool, {
    id: submissionId,
    intakeKeyId: intake.rows[0]!.id,
    sealedKey: Uint8Array.of(1, ...randomBytes(80)),
    manifest: Uint8Array.of(1, ...randomBytes(100)),
    envelopeSha256: randomBytes(32),
    sourceTokenHash: randomBytes(32),
  });
  await completeSubmission(pool, submissionId);
  const recordKey = newRecordKey();
  const pdf = imageOnlyPdf(photo);
  const stored = async (bytes: Buffer, subkeyId: number) => ({
    fileId: await storeEncrypted(
      pool,
      'record-file',
      recordFileKey(recordKey, subkeyId),
      bytes,
      submissionId,
    ),
    size: bytes.length,
    sha256: sha256Hex(bytes),
  });
  const file = ocrPhotoFile({ photo: await stored(photo, 1), rendition: await stored(pdf, 2) });
  const id = randomId();
  const sealed = encryptRecordBody(recordKey, id, recordBodyWithOcr([file]));
  await insertRecord(pool, {
    id,
    submissionId,
    body: sealed,
    bodySha256: sha256(sealed),
    receivedOn: new Date().toISOString().slice(0, 10),
    language: 'ko',
    translated: true,
  });
  await pool.query(`UPDATE blobs SET record_id = $1 WHERE submission_id = $2`, [id, submissionId]);
  await insertRecordKeys(
    pool,
    id,
    readers.map((r) => ({
      reviewerId: r.id,
      wrappedKey: wrapRecordKey(recordKey, r.boxPublicKey),
    })),
  );
  return { id };
}
