import fc from 'fast-check';
import {
  call,
  enrol,
  login,
  seedRecord,
  startReviewApp,
  type ReviewTestApp,
  type SeededRecord,
} from './review-fixtures';

// Invariant 5 on the review listener: whatever an authenticated (or not) caller sends, the
// answer is a 4xx with a stable code, never a 5xx.

describe('review API: fuzz', () => {
  let app: ReviewTestApp;
  let token: string;
  let record: SeededRecord;

  beforeAll(async () => {
    app = await startReviewApp({ BODY_LIMIT_BYTES: '65536', MAX_TEXT_BYTES: '16384' });
    const root = await enrol(app.pool, 'root', 'admin');
    record = await seedRecord(app.pool, [root]);
    token = await login(app.url, root);
  });
  afterAll(async () => app.close());

  const routes = () => [
    ['POST', '/v1/auth/challenge'],
    ['POST', '/v1/auth/session'],
    ['POST', `/v1/records/${record.id}/entries`],
    ['POST', `/v1/records/${record.id}/grants`],
    ['POST', `/v1/records/${record.id}/replies`],
    ['POST', '/v1/admin/reviewers'],
    ['POST', '/v1/admin/intake-keys'],
    ['PUT', '/v1/admin/retention'],
  ];
  const value = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.string({ maxLength: 200 }),
    fc.constantFrom('', 'A', 'AAA', 'a+b/', randomIdLike(), 'new', 'note', 'status', '__proto__'),
  );
  const field = fc.constantFrom(
    'id',
    'kind',
    'body',
    'status',
    'reviewerId',
    'wrappedKey',
    'toSource',
    'entry',
    'name',
    'role',
    'boxPublicKey',
    'signPublicKey',
    'publicKey',
    'policies',
    'nonce',
    'signature',
  );

  it('answers every body with a 4xx and a code', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(7), fc.dictionary(field, value, { maxKeys: 5 }), async (i, body) => {
        const [method, path] = routes()[i]!;
        const res = await call(app.url, method!, path!, { token, body });
        expect(res.status).toBeGreaterThanOrEqual(200);
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400) expect(res.json?.error?.code).toMatch(/^[A-Z_]+$/);
      }),
      { numRuns: 300 },
    );
  });

  it('a path with bad percent-encoding → 400 BAD_PATH', async () => {
    const res = await call(app.url, 'GET', '/v1/records/%ZZ', { token });
    expect([res.status, res.json?.error?.code]).toEqual([400, 'BAD_PATH']);
  });

  it.each([
    ['/v1/records?limit=abc'],
    ['/v1/records?from=x&to=y'],
    ['/v1/records?cursor=%00'],
    ['/v1/custody?limit=1e99'],
    [`/v1/records/${randomIdLike()}`],
  ])('GET %s → 4xx', async (path) => {
    const res = await call(app.url, 'GET', path, { token });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });

  it('never takes a malformed bearer token for a session', async () => {
    for (const t of ['x', 'A'.repeat(43), `${'A'.repeat(42)}B`, `${token}=`, token.toUpperCase()]) {
      const res = await call(app.url, 'GET', '/v1/me', { token: t });
      expect([t, res.status]).toEqual([t, 401]);
    }
  });
});

function randomIdLike(): string {
  return '00000000-0000-4000-8000-000000000001';
}
