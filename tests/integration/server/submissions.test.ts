import { initCrypto, toBase64 } from '../../../crypto';
import { insertTestIntakeKey, startTestApp, type TestApp } from '../../support/app';
import { newSourceToken, postJson, validBody } from './submission-fixtures';

async function eventuallyQueued(app: TestApp, id: string): Promise<boolean> {
  for (let i = 0; i < 50; i++) {
    const { rows } = await app.pool.query('SELECT queued FROM submissions WHERE id = $1', [id]);
    if (rows[0]?.queued) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}

describe('intake: submissions', () => {
  let app: TestApp;
  let intake: Awaited<ReturnType<typeof insertTestIntakeKey>>;

  beforeAll(async () => {
    await initCrypto();
    app = await startTestApp();
  });
  afterAll(async () => app.close());

  it('answers 503 INTAKE_KEY_MISSING before any key exists', async () => {
    const res = await fetch(`${app.url}/v1/intake-key`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: { code: 'INTAKE_KEY_MISSING' } });
    intake = await insertTestIntakeKey(app.pool);
  });

  it('publishes the current key and every accepted id', async () => {
    const old = await insertTestIntakeKey(app.pool, 'accepting');
    await insertTestIntakeKey(app.pool, 'retired');
    const res = await fetch(`${app.url}/v1/intake-key`);
    expect(res.status).toBe(200);
    const key = (await res.json()) as { id: string; publicKey: string; accepting: string[] };
    expect(key.id).toBe(intake.id);
    expect(key.publicKey).toBe(toBase64(intake.keyPair.publicKey));
    expect([...key.accepting].sort()).toEqual([intake.id, old.id].sort());
  });

  it('stores ciphertext, answers 202 after commit and enqueues ids only', async () => {
    const body = validBody(intake.keyPair, { text: 'CANARY-증언-7731' });
    const res = await postJson(`${app.url}/v1/submissions`, body);
    expect(res.status).toBe(202);
    expect(res.json).toEqual({ id: body.id, status: 'received' });

    const { rows } = await app.pool.query(
      `SELECT id, manifest, sealed_key, source_token_hash, status, queued,
              to_char(received_on, 'YYYY-MM-DD') AS day FROM submissions`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: body.id, status: 'received' });
    // queued=true is written in batches (~100 ms) after the answer, not before it.
    expect(await eventuallyQueued(app, body.id)).toBe(true);
    expect(rows[0].sealed_key).toHaveLength(81);
    expect(Buffer.from(rows[0].manifest).toString('base64url')).toBe(body.manifest);
    expect(Buffer.from(rows[0].manifest).includes('CANARY')).toBe(false);

    // Queued under its single-use ticket, which names the row only until it is processed.
    const { rows: ticketed } = await app.pool.query(
      `SELECT job_ticket FROM submissions WHERE id = $1`,
      [body.id],
    );
    const ticket = ticketed[0].job_ticket as string;
    expect(ticket).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(await app.producer.queue.getJob(`process-submission_${body.id}`)).toBeUndefined();
    const job = await app.producer.queue.getJob(`process-submission_${ticket}`);
    expect(job?.name).toBe('process-submission');
    expect(job?.data).toEqual({ ticket });
  });

  it('treats a resend as the same submission and a changed one as a conflict', async () => {
    const body = validBody(intake.keyPair);
    expect((await postJson(`${app.url}/v1/submissions`, body)).status).toBe(202);
    const again = await postJson(`${app.url}/v1/submissions`, body);
    expect(again.status).toBe(202);
    expect(again.json).toEqual({ id: body.id, status: 'received' });
    const count = await app.pool.query('SELECT count(*)::int AS n FROM submissions WHERE id = $1', [
      body.id,
    ]);
    expect(count.rows[0].n).toBe(1);

    const other = validBody(intake.keyPair, { id: body.id, text: 'different' });
    const clash = await postJson(`${app.url}/v1/submissions`, other);
    expect(clash.status).toBe(409);
    expect(clash.json).toMatchObject({ error: { code: 'SUBMISSION_ID_CONFLICT' } });
  });

  it('accepts a key kept after rotation and refuses a retired or unknown one', async () => {
    const kept = await insertTestIntakeKey(app.pool, 'accepting');
    expect((await postJson(`${app.url}/v1/submissions`, validBody(kept.keyPair))).status).toBe(202);
    const retired = await insertTestIntakeKey(app.pool, 'retired');
    const res = await postJson(`${app.url}/v1/submissions`, validBody(retired.keyPair));
    expect(res.status).toBe(422);
    expect(res.json).toMatchObject({ error: { code: 'UNKNOWN_INTAKE_KEY' } });
  });

  it('links completed uploads named in the envelope, in the same transaction', async () => {
    const uploadId = crypto.randomUUID();
    await app.pool.query(
      `INSERT INTO blobs (id, kind, length, complete) VALUES ($1, 'upload', 10, true)`,
      [uploadId],
    );
    const body = { ...validBody(intake.keyPair), uploads: [uploadId] };
    expect((await postJson(`${app.url}/v1/submissions`, body)).status).toBe(202);
    const { rows } = await app.pool.query('SELECT submission_id FROM blobs WHERE id = $1', [
      uploadId,
    ]);
    expect(rows[0].submission_id).toBe(body.id);
    expect((await postJson(`${app.url}/v1/submissions`, body)).status).toBe(202); // resend
    // The same upload cannot be claimed by another submission.
    const thief = { ...validBody(intake.keyPair), uploads: [uploadId] };
    const res = await postJson(`${app.url}/v1/submissions`, thief);
    expect([res.status, (res.json as { error: { code: string } }).error.code]).toEqual([
      422,
      'UNKNOWN_UPLOAD',
    ]);
    // Refused in the same transaction: no row is left behind for the thief's id.
    const left = await app.pool.query('SELECT 1 FROM submissions WHERE id = $1', [thief.id]);
    expect(left.rows).toHaveLength(0);
  });

  it('refuses a resend once its key is retired, and a new id under an unknown key', async () => {
    const key = await insertTestIntakeKey(app.pool, 'accepting');
    const body = validBody(key.keyPair);
    expect((await postJson(`${app.url}/v1/submissions`, body)).status).toBe(202);
    await app.pool.query(`UPDATE intake_keys SET status = 'retired' WHERE id = $1`, [key.id]);
    const res = await postJson(`${app.url}/v1/submissions`, body);
    expect([res.status, (res.json as { error: { code: string } }).error.code]).toEqual([
      422,
      'UNKNOWN_INTAKE_KEY',
    ]);
    const unknown = { ...validBody(intake.keyPair), intakeKeyId: 'k1_AAAAAAAAAAAAAAAA' };
    expect((await postJson(`${app.url}/v1/submissions`, unknown)).status).toBe(422);
  });

  it('lists submissions by source token, storing only its hash', async () => {
    const token = newSourceToken();
    const first = validBody(intake.keyPair, { sourceToken: token });
    const second = validBody(intake.keyPair, { sourceToken: token });
    for (const b of [first, second]) {
      expect((await postJson(`${app.url}/v1/submissions`, b)).status).toBe(202);
    }
    const res = await postJson(`${app.url}/v1/submissions/status`, {
      sourceToken: toBase64(token),
    });
    expect(res.status).toBe(200);
    const list = (res.json as { submissions: Array<{ id: string; receivedOn: string }> })
      .submissions;
    expect(list.map((s) => s.id).sort()).toEqual([first.id, second.id].sort());
    expect(list[0]).toEqual({
      id: expect.any(String),
      status: 'received',
      receivedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });

    const unknown = await postJson(`${app.url}/v1/submissions/status`, {
      sourceToken: toBase64(newSourceToken()),
    });
    expect(unknown.status).toBe(200);
    expect(unknown.json).toEqual({ submissions: [], pad: expect.any(String) }); // padded to 1 KiB

    // The raw token appears in no column of any row, in any encoding.
    const { rows } = await app.pool.query('SELECT * FROM submissions');
    const raw = Buffer.from(token);
    for (const row of rows) {
      for (const value of Object.values(row)) {
        if (Buffer.isBuffer(value)) expect(value.includes(raw)).toBe(false);
        else expect(JSON.stringify(value)).not.toContain(toBase64(token));
      }
    }
  });

  it('refuses a status request with the token in the URL shape or badly encoded', async () => {
    const res = await fetch(`${app.url}/v1/submissions/status?sourceToken=abc`);
    expect(res.status).toBe(405);
    const bad = await postJson(`${app.url}/v1/submissions/status`, { sourceToken: 'AAAA' });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ error: { code: 'BAD_LENGTH' } });
  });
});
