import { questionnaire } from '../../../core/questionnaire';
import { openStoredSubmission } from '../../support/stored-submission';
import {
  attachmentKey,
  createDecryptStream,
  deriveSourceKeys,
  randomBytes,
  randomId,
  sealToSource,
  sha256Hex,
  toBase64,
  type BoxKeyPair,
  type SubmissionManifest,
} from '../../../crypto';
import { insertTestIntakeKey, startTestApp, type TestApp } from '../../support/app';
import { dumpSchema, holdsSecret } from '../review/schema-dump';
import { postForm, receiptFrom, sampleAnswers, tinyJpeg } from './page-fixtures';

// The no-JS path end to end: a Korean testimony with answers and a photo goes in as a plain
// form; only ciphertext is stored; the intake key opens it; the receipt brings the source back
// to its status and a reviewer's reply; a reply from the source is a new linked submission.

const CANARY = 'CANARY-여권을-빼앗겼습니다-5521';

async function readBlob(app: TestApp, id: string): Promise<Buffer> {
  const { rows } = await app.pool.query(
    'SELECT data FROM blob_chunks WHERE blob_id = $1 ORDER BY seq',
    [id],
  );
  return Buffer.concat(rows.map((r: { data: Buffer }) => r.data));
}

async function decrypt(key: Uint8Array, ciphertext: Buffer): Promise<Buffer> {
  const stream = createDecryptStream(key);
  const out: Buffer[] = [];
  stream.on('data', (c: Uint8Array) => out.push(Buffer.from(c)));
  await new Promise<void>((resolve, reject) => {
    stream.on('end', resolve).on('error', reject);
    stream.end(ciphertext);
  });
  return Buffer.concat(out);
}

describe('page: the no-JavaScript path', () => {
  let app: TestApp;
  let intake: BoxKeyPair;
  let jpeg: Buffer;
  let receipt: string;
  let firstId: string;

  beforeAll(async () => {
    app = await startTestApp();
    intake = (await insertTestIntakeKey(app.pool)).keyPair;
    jpeg = await tinyJpeg();
  });
  afterAll(async () => app.close());

  it('seals a Korean testimony, its answers and a photo, and shows the receipt once', async () => {
    const { fields, expected } = sampleAnswers(questionnaire);
    const form = new FormData();
    form.append('lang', 'ko');
    form.append('text', `${CANARY}\n공사장에서 하루 16시간 일했습니다.`);
    for (const [name, value] of fields) form.append(name, value);
    form.append('files', new Blob([new Uint8Array(jpeg)], { type: 'image/jpeg' }), '현장.jpg');
    form.append('files', new Blob([]), ''); // an empty file input, as browsers send it
    const page = await postForm(`${app.url}/submit?lang=ko`, form);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    receipt = receiptFrom(page.html) as string;
    expect(receipt).toMatch(/^\d{4}-\d{4}-\d{4}-\d{4}-\d{4}$/);
    expect(page.html).not.toContain('id="lang-switch"'); // nothing leads away from the receipt

    const { rows } = await app.pool.query('SELECT id, source_token_hash FROM submissions');
    expect(rows).toHaveLength(1);
    firstId = rows[0].id;
    const keys = deriveSourceKeys(receipt);
    expect(Buffer.from(rows[0].source_token_hash).equals(Buffer.from(keys.tokenHash))).toBe(true);

    // The intake-key holder reads it all back.
    const { manifest, contentKey } = await openStoredSubmission(app.pool, firstId, intake);
    expect(manifest.text).toContain(CANARY);
    expect(manifest.lang).toBe('ko');
    expect(manifest.answers).toEqual(expected);
    expect(Object.keys(expected).length).toBeGreaterThanOrEqual(4);
    expect(manifest.sourcePublicKey).toBe(toBase64(keys.keyPair.publicKey));
    const [att] = manifest.attachments ?? [];
    expect(manifest.attachments).toHaveLength(1);
    expect(att).toMatchObject({ name: '현장.jpg', type: 'image/jpeg', size: jpeg.length });
    expect(att!.sha256).toBe(sha256Hex(jpeg));

    const { rows: blobs } = await app.pool.query(
      'SELECT id, kind, complete, submission_id, sha256 FROM blobs',
    );
    expect(blobs).toEqual([
      expect.objectContaining({
        id: att!.uploadId,
        kind: 'upload',
        complete: true,
        submission_id: firstId,
      }),
    ]);
    const ciphertext = await readBlob(app, att!.uploadId);
    expect(sha256Hex(ciphertext)).toBe(Buffer.from(blobs[0].sha256).toString('hex'));
    expect(await decrypt(attachmentKey(contentKey, att!.subkeyId), ciphertext)).toEqual(jpeg);
  });

  it('stores only ciphertext: no text, answer, photo byte or receipt anywhere in the schema', async () => {
    const { values } = await dumpSchema(app.pool, app.db.schema);
    const secrets = [
      Buffer.from(CANARY),
      Buffer.from('러시아 연해주'),
      jpeg.subarray(jpeg.length / 2, jpeg.length / 2 + 48),
      Buffer.from(receipt),
      Buffer.from(receipt.replace(/-/g, '')),
    ];
    for (const { where, value } of values) {
      for (const secret of secrets) {
        const found = holdsSecret(value, secret) || String(value).includes(secret.toString());
        if (found) throw new Error(`plaintext found in ${where}`);
      }
    }
  });

  it('brings the source back with the receipt, and shows a reviewer reply decrypted', async () => {
    const keys = deriveSourceKeys(receipt);
    const before = await postForm(`${app.url}/return?lang=en`, new URLSearchParams({ receipt }));
    expect(before.status).toBe(200);
    expect(before.html).toContain('Received, waiting to be processed.');
    expect(before.html).toContain('No replies yet.');
    expect(before.html).not.toContain(receipt); // never echoed into a page

    const reply = '안녕하세요. 증언을 잘 받았습니다 <b>고맙습니다</b>';
    const insert =
      'INSERT INTO replies (id, source_token_hash, direction, sealed) VALUES ($1, $2, $3, $4)';
    const sealed = sealToSource(keys.keyPair.publicKey, { v: 1, text: reply });
    await app.pool.query(insert, [
      randomId(),
      Buffer.from(keys.tokenHash),
      'to-source',
      Buffer.from(sealed),
    ]);
    const junk = Buffer.concat([Buffer.of(1), Buffer.from(randomBytes(4300))]);
    await app.pool.query(insert, [randomId(), Buffer.from(keys.tokenHash), 'to-source', junk]);

    const spaced = receipt.replace(/-/g, ' ');
    const after = await postForm(
      `${app.url}/return?lang=ko`,
      new URLSearchParams({ receipt: spaced }),
    );
    expect(after.status).toBe(200);
    expect(after.html).toContain('안녕하세요. 증언을 잘 받았습니다 &lt;b&gt;고맙습니다&lt;/b&gt;');
    expect(after.html).toContain('이 답장은 열 수 없었습니다.');
    expect(after.html).toContain('id="add-form"');
  });

  it('adds a reply from the source to the same case as a new sealed submission', async () => {
    const form = new FormData();
    form.append('text', '답장 고맙습니다. 더 말씀드릴 것이 있습니다.');
    form.append('receipt', receipt);
    const page = await postForm(`${app.url}/return/reply?lang=ko`, form);
    expect(page.status).toBe(200);
    expect(page.html).toContain('영수증 번호는 그대로입니다');
    const { rows } = await app.pool.query(
      'SELECT id FROM submissions WHERE source_token_hash = $1 AND id <> $2',
      [Buffer.from(deriveSourceKeys(receipt).tokenHash), firstId],
    );
    expect(rows).toHaveLength(1);
    const { manifest } = await openStoredSubmission(app.pool, rows[0].id, intake);
    expect((manifest as SubmissionManifest).text).toBe(
      '답장 고맙습니다. 더 말씀드릴 것이 있습니다.',
    );

    const status = await postForm(`${app.url}/return?lang=en`, new URLSearchParams({ receipt }));
    expect(status.html.match(/Received, waiting to be processed\./g)).toHaveLength(2);
  });

  it('refuses a reply under a receipt that has no case, so it cannot be lost', async () => {
    const form = new FormData();
    form.append('text', '다른 번호');
    form.append('receipt', '0000-1111-2222-3333-4444');
    const page = await postForm(`${app.url}/return/reply?lang=en`, form);
    expect(page.status).toBe(400);
    expect(page.html).toContain('Nothing was found for this receipt number.');
    const { rows } = await app.pool.query('SELECT count(*)::int AS n FROM submissions');
    expect(rows[0].n).toBe(2);
  });
});
