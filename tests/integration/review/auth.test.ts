import {
  fromBase64,
  generateReviewerKeys,
  randomBytes,
  sha256,
  signChallenge,
  toBase64,
} from '../../../crypto';
import {
  auditActions,
  call,
  code,
  enrol,
  login,
  loginRaw,
  startReviewApp,
  type ReviewTestApp,
  type TestReviewer,
} from './review-fixtures';

// Login is a signed challenge; every refusal has its own status and stable code.

describe('review API: auth', () => {
  let app: ReviewTestApp;
  let alice: TestReviewer;
  let admin: TestReviewer;

  beforeAll(async () => {
    app = await startReviewApp({ SESSION_TTL_SECONDS: '600' });
    alice = await enrol(app.pool, 'alice');
    admin = await enrol(app.pool, 'root', 'admin');
  });
  afterAll(async () => app.close());

  const challenge = async (keys = alice.keys) => {
    const res = await call(app.url, 'POST', '/v1/auth/challenge', {
      body: { signPublicKey: toBase64(keys.sign.publicKey) },
    });
    expect(res.status).toBe(200);
    expect(res.json.expiresInSeconds).toBe(60);
    return fromBase64(res.json.nonce as string);
  };

  it('logs in with a real Ed25519 signature and stores only hashes', async () => {
    const nonce = await challenge();
    // The expiry is bracketed by the clock before and after the call: no elapsed-time bound.
    const before = Date.now();
    const res = await loginRaw(app.url, alice, nonce);
    const after = Date.now();
    expect(res.status).toBe(200);
    expect(res.json.reviewer).toEqual({ id: alice.id, name: 'alice', role: 'reviewer' });
    const token = fromBase64(res.json.token as string);
    expect(token.length).toBe(32);
    const expiresAt = Date.parse(res.json.expiresAt as string);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 600_000 - 1000);
    expect(expiresAt).toBeLessThanOrEqual(after + 600_000 + 1000);
    expect(res.headers.get('cache-control')).toBe('no-store');

    const stored = await app.pool.query(`SELECT token_hash FROM sessions WHERE token_hash = $1`, [
      Buffer.from(sha256(token)),
    ]);
    expect(stored.rowCount).toBe(1);
    const raw = await app.pool.query(`SELECT 1 FROM sessions WHERE token_hash = $1`, [
      Buffer.from(token),
    ]);
    expect(raw.rowCount).toBe(0);
    const ch = await app.pool.query(`SELECT used FROM auth_challenges WHERE nonce_hash = $1`, [
      Buffer.from(sha256(nonce)),
    ]);
    expect(ch.rows).toEqual([{ used: true }]);

    const me = await call(app.url, 'GET', '/v1/me', { token: res.json.token as string });
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({
      id: alice.id,
      name: 'alice',
      role: 'reviewer',
      boxPublicKey: toBase64(alice.keys.box.publicKey),
      signPublicKey: toBase64(alice.keys.sign.publicKey),
    });
    expect(me.json.enrolledOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(
      (await auditActions(app.pool)).some(
        (a) => a.action === 'auth.login' && a.reviewer_id === alice.id,
      ),
    ).toBe(true);
  });

  it('no token → 401 AUTH_REQUIRED; garbage token → 401 SESSION_INVALID', async () => {
    const none = await call(app.url, 'GET', '/v1/me');
    expect([none.status, code(none)]).toEqual([401, 'AUTH_REQUIRED']);
    const list = await call(app.url, 'GET', '/v1/records');
    expect([list.status, code(list)]).toEqual([401, 'AUTH_REQUIRED']);
    const basic = await fetch(`${app.url}/v1/me`, {
      headers: { authorization: 'Basic YWxpY2U6eA==' },
    });
    expect(basic.status).toBe(401);
    const unknown = await call(app.url, 'GET', '/v1/me', { token: toBase64(randomBytes(32)) });
    expect([unknown.status, code(unknown)]).toEqual([401, 'SESSION_INVALID']);
  });

  it('expired session → 401 SESSION_EXPIRED', async () => {
    const token = await login(app.url, alice);
    await app.pool.query(
      `UPDATE sessions SET expires_at = now() - interval '1 second' WHERE token_hash = $1`,
      [Buffer.from(sha256(fromBase64(token)))],
    );
    const res = await call(app.url, 'GET', '/v1/me', { token });
    expect([res.status, code(res)]).toEqual([401, 'SESSION_EXPIRED']);
  });

  it('logout revokes the session', async () => {
    const token = await login(app.url, alice);
    const out = await call(app.url, 'DELETE', '/v1/auth/session', { token });
    expect(out.status).toBe(204);
    const res = await call(app.url, 'GET', '/v1/me', { token });
    expect([res.status, code(res)]).toEqual([401, 'SESSION_INVALID']);
  });

  it('replayed challenge → 401 CHALLENGE_INVALID', async () => {
    const nonce = await challenge();
    expect((await loginRaw(app.url, alice, nonce)).status).toBe(200);
    const replay = await loginRaw(app.url, alice, nonce);
    expect([replay.status, code(replay)]).toEqual([401, 'CHALLENGE_INVALID']);
  });

  it('expired or never-issued challenge → 401 CHALLENGE_INVALID', async () => {
    const nonce = await challenge();
    await app.pool.query(
      `UPDATE auth_challenges SET expires_at = now() - interval '1 second' WHERE nonce_hash = $1`,
      [Buffer.from(sha256(nonce))],
    );
    const expired = await loginRaw(app.url, alice, nonce);
    expect([expired.status, code(expired)]).toEqual([401, 'CHALLENGE_INVALID']);
    const invented = await loginRaw(app.url, alice, randomBytes(32));
    expect([invented.status, code(invented)]).toEqual([401, 'CHALLENGE_INVALID']);
  });

  it('bad signature or unknown key → 401 AUTH_FAILED, and the challenge is spent', async () => {
    const nonce = await challenge();
    const other = generateReviewerKeys();
    const forged = await call(app.url, 'POST', '/v1/auth/session', {
      body: {
        signPublicKey: toBase64(alice.keys.sign.publicKey),
        nonce: toBase64(nonce),
        signature: toBase64(signChallenge(nonce, other.sign.secretKey)),
      },
    });
    expect([forged.status, code(forged)]).toEqual([401, 'AUTH_FAILED']);
    const retry = await loginRaw(app.url, alice, nonce);
    expect([retry.status, code(retry)]).toEqual([401, 'CHALLENGE_INVALID']);
    const stranger = await loginRaw(app.url, { keys: other });
    expect([stranger.status, code(stranger)]).toEqual([401, 'AUTH_FAILED']);
  });

  it('a challenge asked for one key never logs in another, and is spent by the try', async () => {
    // Issue 11: bob signs, correctly, a nonce that was issued for alice's key.
    const bob = await enrol(app.pool, 'bob-binding');
    const forAlice = await challenge(alice.keys);
    const swapped = await loginRaw(app.url, bob, forAlice);
    expect([swapped.status, code(swapped)]).toEqual([401, 'CHALLENGE_INVALID']);
    // Spent: alice cannot use it either now.
    const after = await loginRaw(app.url, alice, forAlice);
    expect([after.status, code(after)]).toEqual([401, 'CHALLENGE_INVALID']);
    // Bob with a nonce asked for his own key gets in.
    expect((await loginRaw(app.url, bob, await challenge(bob.keys))).status).toBe(200);
  });

  it('a challenge issued for another listener context is refused here', async () => {
    const nonce = await challenge(alice.keys);
    await app.pool.query(`UPDATE auth_challenges SET context = 'desk' WHERE nonce_hash = $1`, [
      Buffer.from(sha256(nonce)),
    ]);
    const res = await loginRaw(app.url, alice, nonce);
    expect([res.status, code(res)]).toEqual([401, 'CHALLENGE_INVALID']);
    const { rows } = await app.pool.query<{ context: string; sign_public_key: Buffer }>(
      `SELECT context, sign_public_key FROM auth_challenges WHERE context <> 'desk' LIMIT 1`,
    );
    expect(rows[0]?.context).toBe('review-api');
    expect(rows[0]?.sign_public_key).toHaveLength(32);
  });

  it('a revoked reviewer’s valid signature → 403 REVIEWER_REVOKED', async () => {
    const bob = await enrol(app.pool, 'bob');
    await app.pool.query(`UPDATE reviewers SET revoked_on = current_date WHERE id = $1`, [bob.id]);
    const res = await loginRaw(app.url, bob);
    expect([res.status, code(res)]).toEqual([403, 'REVIEWER_REVOKED']);
  });

  it('a reviewer calling an admin route → 403 ADMIN_REQUIRED; an admin gets through', async () => {
    const token = await login(app.url, alice);
    for (const [method, path] of [
      ['GET', '/v1/admin/intake-keys'],
      ['GET', '/v1/admin/retention'],
      ['POST', '/v1/admin/retention/run'],
      ['POST', `/v1/admin/reviewers/${alice.id}/revoke`],
    ] as const) {
      const res = await call(app.url, method, path, { token });
      expect([path, res.status, code(res)]).toEqual([path, 403, 'ADMIN_REQUIRED']);
    }
    const adminToken = await login(app.url, admin);
    expect((await call(app.url, 'GET', '/v1/admin/retention', { token: adminToken })).status).toBe(
      200,
    );
  });

  it.each<[string, string, () => unknown]>([
    [
      'unknown field',
      'UNKNOWN_FIELD',
      () => ({ signPublicKey: toBase64(alice.keys.sign.publicKey), extra: 1 }),
    ],
    ['short key', 'BAD_LENGTH', () => ({ signPublicKey: toBase64(randomBytes(31)) })],
    ['bad base64', 'BAD_ENCODING', () => ({ signPublicKey: 'a+b/' })],
    ['not an object', 'INVALID_REQUEST', () => [1]],
  ])('challenge with %s → 400 %s', async (_name, expected, body) => {
    const res = await call(app.url, 'POST', '/v1/auth/challenge', { body: body() });
    expect([res.status, code(res)]).toEqual([400, expected]);
  });

  it('refuses malformed session requests with 4xx codes', async () => {
    const pk = toBase64(alice.keys.sign.publicKey);
    const bad = await call(app.url, 'POST', '/v1/auth/session', {
      body: {
        signPublicKey: pk,
        nonce: toBase64(randomBytes(32)),
        signature: toBase64(randomBytes(63)),
      },
    });
    expect([bad.status, code(bad)]).toEqual([400, 'BAD_LENGTH']);
    const text = await fetch(`${app.url}/v1/auth/session`, { method: 'POST', body: 'x' });
    expect(text.status).toBe(415);
    const get = await call(app.url, 'GET', '/v1/auth/session');
    expect([get.status, code(get)]).toEqual([405, 'METHOD_NOT_ALLOWED']);
  });
});
