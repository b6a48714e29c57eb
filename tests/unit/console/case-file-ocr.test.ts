import { caseFileHtml } from '../../../console/desk/case-file';
import { initCrypto } from '../../../crypto';
import type { OpenedRecord } from '../../../console/records';
import { OCR_TEXT, OCR_TRANSLATION, recordBodyWithOcr } from '../../integration/desk/ocr-record';

// The printable case file carries what the worker read out of a photographed paper, with its
// translation, and names the safe rendition by its hash: a lawyer reading the file on paper
// sees what the reviewer saw beside the picture.

describe('the printable case file', () => {
  beforeAll(() => initCrypto());

  it('prints the OCR text of a picture with its translation, and the rendition hash', () => {
    const body = recordBodyWithOcr();
    const record = {
      detail: { id: 'r1', receivedOn: '2026-12-06', status: 'new', bodySha256: 'ab' },
      recordKey: new Uint8Array(32),
      body,
      entries: [],
    } as unknown as OpenedRecord;
    const html = caseFileHtml(
      'r1',
      [record],
      { entries: [], signers: [] },
      {
        exportedBy: 'alice',
        server: 'http://127.0.0.1:8081',
        day: '2026-12-06',
      },
    );
    expect(html).toContain(OCR_TEXT);
    expect(html).toContain(OCR_TRANSLATION);
    const f = body.files[0]!;
    expect(f.status === 'clean' && f.rendition ? html.includes(f.rendition.sha256) : false).toBe(
      true,
    );
  });
});
