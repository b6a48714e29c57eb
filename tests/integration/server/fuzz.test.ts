import fc from 'fast-check';
import { initCrypto } from '../../../crypto';
import { insertTestIntakeKey, startTestApp, type TestApp } from '../../support/app';
import { errorCode, postJson, validBody, type SubmissionBody } from './submission-fixtures';

// Invariant 5 as a property: whatever arrives, the answer is a 4xx with a code, never a 5xx,
// and the process keeps serving.

const FIELDS = ['v', 'id', 'intakeKeyId', 'sealedKey', 'manifest', 'sourceToken', 'uploads'];

describe('intake: fuzz', () => {
  let app: TestApp;
  let base: SubmissionBody;

  beforeAll(async () => {
    await initCrypto();
    app = await startTestApp({ env: { BODY_LIMIT_BYTES: '65536', MAX_TEXT_BYTES: '16384' } });
    const intake = await insertTestIntakeKey(app.pool);
    base = validBody(intake.keyPair);
  });
  afterAll(async () => app.close());

  const deep = fc
    .integer({ min: 9, max: 5000 })
    .map((n) => '{"a":'.repeat(n) + '1' + '}'.repeat(n));

  const mutated = fc
    .record({
      field: fc.constantFrom(...FIELDS, '__proto__', 'constructor', 'extra'),
      value: fc.oneof(
        fc.jsonValue({ maxDepth: 3 }),
        fc.string({ maxLength: 200 }),
        fc.string({ unit: 'binary', maxLength: 200 }),
        fc.base64String({ maxLength: 200 }),
        fc.string({ unit: fc.constantFrom('A', '_', '-', '=', '+', '/'), maxLength: 120 }),
        fc.integer().map((n) => 'A'.repeat(Math.abs(n) % 70_000)),
      ),
      drop: fc.boolean(),
    })
    .map(({ field, value, drop }) => {
      const body: Record<string, unknown> = { ...base, id: crypto.randomUUID() };
      if (drop) delete body[field];
      else body[field] = value;
      return JSON.stringify(body);
    });

  const truncated = fc
    .nat()
    .map((n) => JSON.stringify(base).slice(0, n % JSON.stringify(base).length));

  const bodies = fc.oneof(
    fc.jsonValue({ maxDepth: 6 }).map((v) => JSON.stringify(v) ?? 'null'),
    fc.string({ maxLength: 500 }),
    fc.string({ unit: 'binary', maxLength: 300 }),
    deep,
    mutated,
    truncated,
  );

  it('answers every malformed body with a 4xx and an error code', async () => {
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        const res = await postJson(`${app.url}/v1/submissions`, body);
        if (res.status === 202) return; // a mutation that happened to stay valid
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(typeof errorCode(res.json)).toBe('string');
      }),
      { numRuns: 2000 },
    );
    const alive = await fetch(`${app.url}/healthz`);
    expect(alive.status).toBe(200);
  }, 60_000);

  it('answers malformed status requests with a 4xx too', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify({ sourceToken: v })),
          fc.string({ maxLength: 100 }),
        ),
        async (body) => {
          const res = await postJson(`${app.url}/v1/submissions/status`, body);
          expect(res.status).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: 300 },
    );
  });
});
