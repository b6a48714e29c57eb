import { request } from 'node:http';
import { initCrypto, randomBytes, toBase64 } from '../../../crypto';
import { insertTestIntakeKey, startTestApp, type TestApp } from '../../support/app';
import { errorCode, postJson, validBody, type SubmissionBody } from './submission-fixtures';

// Every way a submission can be wrong has its own 4xx and stable code (invariant 5).

describe('intake: bad input', () => {
  let app: TestApp;
  let good: () => SubmissionBody;

  beforeAll(async () => {
    await initCrypto();
    // A small body limit keeps the oversize cases cheap.
    app = await startTestApp({ env: { BODY_LIMIT_BYTES: '262144', MAX_TEXT_BYTES: '65536' } });
    const intake = await insertTestIntakeKey(app.pool);
    good = () => validBody(intake.keyPair);
  });
  afterAll(async () => app.close());

  const post = (body: unknown, headers?: Record<string, string>) =>
    postJson(`${app.url}/v1/submissions`, body, headers);
  const b64 = (n: number, first = 1) => {
    const bytes = randomBytes(n);
    bytes[0] = first;
    return toBase64(bytes);
  };

  it.each([
    ['text/plain', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['application/x-www-form-urlencoded', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['application/json; charset=latin1', 415, 'UNSUPPORTED_MEDIA_TYPE'],
  ])('content type %s → %i %s', async (type, status, code) => {
    const res = await post(good(), { 'content-type': type });
    expect([res.status, errorCode(res.json)]).toEqual([status, code]);
  });

  it('refuses a compressed body instead of inflating it', async () => {
    const res = await post(good(), { 'content-encoding': 'gzip' });
    expect([res.status, errorCode(res.json)]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
  });

  it.each<[string, number, string, () => unknown]>([
    ['malformed JSON', 400, 'MALFORMED_JSON', () => '{"v":1,'],
    ['empty body', 400, 'MALFORMED_JSON', () => ''],
    ['too deep', 400, 'JSON_TOO_DEEP', () => '['.repeat(10) + ']'.repeat(10)],
    ['very deep', 400, 'JSON_TOO_DEEP', () => '['.repeat(200_000)],
    ['an array', 400, 'INVALID_REQUEST', () => [good()]],
    ['unknown key', 400, 'UNKNOWN_FIELD', () => ({ ...good(), extra: 1 })],
    [
      '__proto__ key',
      400,
      'UNKNOWN_FIELD',
      () => `{"__proto__":{"x":1},${JSON.stringify(good()).slice(1)}`,
    ],
    ['missing manifest', 400, 'INVALID_REQUEST', () => ({ ...good(), manifest: undefined })],
    ['v: 2', 400, 'UNSUPPORTED_VERSION', () => ({ ...good(), v: 2, newField: true })],
    ['v: "1"', 400, 'UNSUPPORTED_VERSION', () => ({ ...good(), v: '1' })],
    ['id not a uuid', 400, 'INVALID_REQUEST', () => ({ ...good(), id: 'abc' })],
    ['bad base64', 400, 'BAD_ENCODING', () => ({ ...good(), sealedKey: 'not*base64' })],
    ['padded base64', 400, 'BAD_ENCODING', () => ({ ...good(), sealedKey: `${b64(81)}=` })],
    ['sealedKey 80 bytes', 400, 'BAD_LENGTH', () => ({ ...good(), sealedKey: b64(80) })],
    ['sealedKey 82 bytes', 400, 'BAD_LENGTH', () => ({ ...good(), sealedKey: b64(82) })],
    [
      'sealedKey version 2',
      400,
      'UNSUPPORTED_VERSION',
      () => ({ ...good(), sealedKey: b64(81, 2) }),
    ],
    ['manifest too short', 400, 'BAD_LENGTH', () => ({ ...good(), manifest: b64(40) })],
    [
      'manifest too large',
      413,
      'MANIFEST_TOO_LARGE',
      () => ({ ...good(), manifest: b64(65536 + 65537) }),
    ],
    [
      '51 uploads',
      400,
      'INVALID_REQUEST',
      () => ({ ...good(), uploads: Array(51).fill(crypto.randomUUID()) }),
    ],
    [
      'unknown upload',
      422,
      'UNKNOWN_UPLOAD',
      () => ({ ...good(), uploads: [crypto.randomUUID()] }),
    ],
    ['short source token', 400, 'BAD_LENGTH', () => ({ ...good(), sourceToken: b64(31) })],
    [
      'unknown intake key',
      422,
      'UNKNOWN_INTAKE_KEY',
      () => ({ ...good(), intakeKeyId: 'k1_AAAAAAAAAAAAAAAA' }),
    ],
    ['malformed intake key id', 400, 'INVALID_REQUEST', () => ({ ...good(), intakeKeyId: 'nope' })],
    [
      'NUL in the intake key id',
      400,
      'INVALID_REQUEST',
      () => ({ ...good(), intakeKeyId: 'k1_\u0000AAAAAAAAAAAAAAA' }),
    ],
    ['wrong type', 400, 'INVALID_REQUEST', () => ({ ...good(), manifest: 12 })],
  ])('%s → %i %s', async (_name, status, code, body) => {
    const res = await post(body());
    expect([res.status, errorCode(res.json)]).toEqual([status, code]);
  });

  it('refuses a body over the limit with 413 BODY_TOO_LARGE', async () => {
    const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const payload = Buffer.alloc(300_000, 0x20);
      const req = request(`${app.url}/v1/submissions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': payload.length },
      });
      req.on('response', (r) => {
        let body = '';
        r.on('data', (c: Buffer) => (body += c.toString()));
        r.on('end', () => resolve({ status: r.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end(payload);
    });
    expect(res.status).toBe(413);
    expect(errorCode(JSON.parse(res.body))).toBe('BODY_TOO_LARGE');
  });

  it('answers JSON 404 and 405 for unknown routes and methods', async () => {
    const missing = await fetch(`${app.url}/v1/nothing`);
    expect(missing.status).toBe(404);
    expect(errorCode(await missing.json())).toBe('NOT_FOUND');
    const wrong = await fetch(`${app.url}/v1/submissions`, { method: 'GET' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
    expect(errorCode(await wrong.json())).toBe('METHOD_NOT_ALLOWED');
  });

  it('stored nothing for any refused submission', async () => {
    const { rows } = await app.pool.query('SELECT count(*)::int AS n FROM submissions');
    expect(rows[0].n).toBe(0);
  });
});
