import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { silentLogger } from '../../../core/logger';
import {
  decryptRecordBody,
  deriveSourceKeys,
  encryptEntry,
  fromBase64,
  generateReceipt,
  randomId,
  sealToSource,
  toBase64,
  unwrapRecordKey,
  wrapRecordKey,
  type Bytes,
} from '../../../crypto';
import { composeReviewApp } from '../../../server/compose';
import type { SoriWorker } from '../../../worker/create-worker';
import { startTestApp, type TestApp } from '../../support/app';
import { createTestKeys, startWorker, type TestKeys } from '../../support/worker';
import { postJson, validBody } from '../server/submission-fixtures';
import { call, enrol, login, type TestReviewer } from './review-fixtures';
import { dumpSchema, holdsSecret, waitFor } from './schema-dump';

// Invariant 3 for records: a testimony goes the real way (public API → worker → review API,
// with an entry, a grant and a reply), then every column of every table in the schema is read
// back and searched for the record key in raw bytes, hex and both base64 alphabets.

describe('nothing the server stores opens a record', () => {
  let app: TestApp;
  let keys: TestKeys;
  let worker: SoriWorker;
  let server: Server;
  let reviewUrl: string;
  let alice: TestReviewer;

  beforeAll(async () => {
    app = await startTestApp();
    keys = await createTestKeys();
    alice = await enrol(app.pool, 'alice');
    worker = await startWorker({ pool: app.pool, prefix: app.prefix, keys: keys.keys });
    const reviewApp = composeReviewApp({ pool: app.pool, config: app.config, log: silentLogger });
    server = await new Promise((resolve) => {
      const s = reviewApp.listen(0, '127.0.0.1', () => resolve(s));
    });
    reviewUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => {
      server?.close(() => resolve());
      server?.closeAllConnections();
    });
    await worker?.close();
    await app?.close();
  });

  it('holds no record key, secret key or source token in any column of any table', async () => {
    const source = deriveSourceKeys(generateReceipt());
    const submission = validBody(keys.intake, {
      text: '여권을 빼앗겼어요',
      sourceToken: source.token,
    });
    expect((await postJson(`${app.url}/v1/submissions`, submission)).status).toBe(202);
    const recordId = await waitFor('record', async () => {
      const { rows } = await app.pool.query<{ id: string }>(
        `SELECT id FROM records WHERE submission_id = $1`,
        [submission.id],
      );
      return rows[0]?.id;
    });

    const token = await login(reviewUrl, alice);
    const read = await call(reviewUrl, 'GET', `/v1/records/${recordId}`, { token });
    const recordKey = unwrapRecordKey(fromBase64(read.json.wrappedKey), alice.keys.box);
    expect(
      decryptRecordBody<{ text: string }>(recordKey, recordId, fromBase64(read.json.body)).text,
    ).toContain('여권');

    // Fill every table a reviewer writes: an entry, a grant to a later reviewer, a reply.
    const post = (path: string, body: unknown) =>
      call(reviewUrl, 'POST', `/v1/records/${recordId}${path}`, { token, body });
    const noteId = randomId();
    const note = toBase64(encryptEntry(recordKey, recordId, noteId, { text: 'note' }));
    expect((await post('/entries', { id: noteId, kind: 'note', body: note })).status).toBe(201);
    const bob = await enrol(app.pool, 'bob');
    const wrappedKey = toBase64(wrapRecordKey(recordKey, bob.keys.box.publicKey));
    expect((await post('/grants', { reviewerId: bob.id, wrappedKey })).status).toBe(201);
    const replyId = randomId();
    const reply = {
      id: replyId,
      toSource: toBase64(sealToSource(source.keyPair.publicKey, { text: 'thank you' })),
      entry: toBase64(encryptEntry(recordKey, recordId, replyId, { text: 'thank you' })),
    };
    expect((await post('/replies', reply)).status).toBe(201);

    const { tables, values } = await dumpSchema(app.pool, app.db.schema);
    expect(tables).toEqual(
      expect.arrayContaining([
        'records',
        'record_keys',
        'record_entries',
        'replies',
        'submissions',
        'sessions',
        'audit_log',
        'custody_log',
      ]),
    );
    // The search would find the key if it were there: the wrapped copies are there, in every form.
    expect(
      values.filter((v) => holdsSecret(v.value, fromBase64(read.json.wrappedKey))).length,
    ).toBeGreaterThan(0);
    const secrets: Array<[string, Bytes]> = [
      ['record key', recordKey],
      ['reviewer box secret key', alice.keys.box.secretKey],
      ['reviewer sign secret key', alice.keys.sign.secretKey],
      ['source box secret key', source.keyPair.secretKey],
      ['source token', source.token],
      ['session token', fromBase64(token)],
    ];
    for (const [name, secret] of secrets) {
      expect([
        name,
        values.filter((v) => holdsSecret(v.value, secret)).map((v) => v.where),
      ]).toEqual([name, []]);
    }
  });
});
