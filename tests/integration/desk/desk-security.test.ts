import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { Desk } from '../../../console/desk/app';
import { openSession, raw } from './desk-http';
import { PASSPHRASE, startDeskWorld, type DeskWorld } from './desk-fixture';

// Each defence of the desk, proved by the refusal it causes: a wrong Host (DNS rebinding), no
// per-launch secret, a reused one-time link, a cross-origin or non-JSON change, and headers
// (no-store, strict CSP, no CORS) on every answer.

jest.setTimeout(180_000);

describe('sori desk: what it refuses', () => {
  let world: DeskWorld;
  let desk: Desk;
  let session: Awaited<ReturnType<typeof openSession>>;

  beforeAll(async () => {
    world = await startDeskWorld();
    desk = await world.startDesk();
    session = await openSession(desk.openUrl);
  });

  afterAll(async () => {
    await world?.close();
  });

  it('listens on 127.0.0.1 only and hands out an HttpOnly SameSite=Strict cookie once', async () => {
    expect(new URL(desk.origin).hostname).toBe('127.0.0.1');
    expect(session.exchange.status).toBe(303);
    expect(session.setCookie).toMatch(/HttpOnly/);
    expect(session.setCookie).toMatch(/SameSite=Strict/);
    const again = await raw(desk.origin, 'GET', desk.openUrl.slice(desk.origin.length));
    expect(again.status).toBe(403);
    expect(again.headers['set-cookie']).toBeUndefined();
  });

  it('refuses /api to the cookie alone: a page on another loopback port is sent the cookie too', async () => {
    expect(session.exchange.headers.location).toMatch(/^\/#k=[A-Za-z0-9_-]{43}$/);
    const cookieOnly = await raw(desk.origin, 'GET', '/api/state', { cookie: session.cookie });
    expect([cookieOnly.status, cookieOnly.json().error?.code]).toEqual([
      401,
      'DESK_PAGE_SECRET_REQUIRED',
    ]);
    const wrong = await raw(desk.origin, 'GET', '/api/state', {
      cookie: session.cookie,
      'x-sori-desk': 'A'.repeat(43),
    });
    expect(wrong.status).toBe(401);
    // File and download addresses carry it in the query, since elements send no headers.
    const byQuery = await raw(desk.origin, 'GET', `/api/state?k=${session.pageSecret}`, {
      cookie: session.cookie,
    });
    expect(byQuery.status).toBe(200);
    // The page itself loads with the cookie alone: it must, to read the fragment.
    expect((await raw(desk.origin, 'GET', '/', { cookie: session.cookie })).status).toBe(200);
  });

  it('refuses a Host that is not 127.0.0.1:port (DNS rebinding), even with the cookie', async () => {
    const port = String(new URL(desk.origin).port);
    for (const host of [`evil.example:${port}`, `localhost:${port}`, '127.0.0.1', `127.0.0.1:1`]) {
      const res = await raw(desk.origin, 'GET', '/api/state', { host, cookie: session.cookie });
      expect({ host, status: res.status, code: res.json().error?.code }).toEqual({
        host,
        status: 421,
        code: 'DESK_BAD_HOST',
      });
    }
  });

  it('refuses every request without the per-launch secret', async () => {
    for (const path of ['/', '/desk.js', '/api/state', '/api/cases']) {
      const res = await raw(desk.origin, 'GET', path);
      expect({ path, status: res.status }).toEqual({ path, status: 401 });
    }
    const forged = await raw(desk.origin, 'GET', '/api/state', { cookie: 'sori_desk=AAAA' });
    expect(forged.json().error?.code).toBe('DESK_SECRET_REQUIRED');
    const unlock = await raw(
      desk.origin,
      'POST',
      '/api/unlock',
      { 'content-type': 'application/json', origin: desk.origin },
      JSON.stringify({ passphrase: PASSPHRASE }),
    );
    expect(unlock.status).toBe(401);
    expect(desk.vault.unlocked).toBe(false);
  });

  it('refuses changes from another origin, without an origin, or not as JSON', async () => {
    const body = JSON.stringify({ passphrase: PASSPHRASE });
    const cases: Array<[Record<string, string>, number, string]> = [
      [
        { 'content-type': 'application/json', origin: 'http://evil.example' },
        403,
        'DESK_CROSS_ORIGIN',
      ],
      [{ 'content-type': 'application/json', origin: 'null' }, 403, 'DESK_CROSS_ORIGIN'],
      [{ 'content-type': 'application/json' }, 403, 'DESK_CROSS_ORIGIN'],
      [
        { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' },
        403,
        'DESK_CROSS_ORIGIN',
      ],
      [{ 'content-type': 'text/plain', origin: desk.origin }, 415, 'DESK_JSON_REQUIRED'],
      [
        { 'content-type': 'application/x-www-form-urlencoded', origin: desk.origin },
        415,
        'DESK_JSON_REQUIRED',
      ],
    ];
    for (const [headers, status, code] of cases) {
      const res = await raw(
        desk.origin,
        'POST',
        '/api/unlock',
        // Both secrets: the Origin check holds on its own, even for a caller that has them.
        { cookie: session.cookie, 'x-sori-desk': session.pageSecret, ...headers },
        body,
      );
      expect({ headers, status: res.status, code: res.json().error?.code }).toEqual({
        headers,
        status,
        code,
      });
    }
    expect(desk.vault.unlocked).toBe(false);
  });

  it('sends no-store, a strict CSP and no CORS headers on every answer, refusals included', async () => {
    const answers = [
      await session.send('GET', '/'),
      await session.send('GET', '/desk.js'),
      await session.send('GET', '/api/state'),
      await session.send('OPTIONS', '/api/unlock', undefined, {
        origin: 'http://evil.example',
        'access-control-request-method': 'POST',
      }),
      await raw(desk.origin, 'GET', '/api/state'),
      await raw(desk.origin, 'GET', '/api/state', { host: 'evil.example' }),
    ];
    for (const res of answers) {
      expect(res.headers['cache-control']).toBe('no-store');
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    }
    // The page itself carries no inline script and loads nothing from elsewhere.
    const html = answers[0]!.text();
    expect(html).not.toMatch(/<script>(?!<)/);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it('answers a wrong passphrase with 401 and calls before unlocking with 423 DESK_LOCKED', async () => {
    const wrong = await session.send('POST', '/api/unlock', {
      passphrase: 'not the passphrase at all',
    });
    expect(wrong.status).toBe(401);
    expect(wrong.json().error?.code).toBe('KEYFILE_BAD_PASSPHRASE');
    const cases = await session.send('GET', '/api/cases');
    expect(cases.status).toBe(423);
    expect(cases.json().error?.code).toBe('DESK_LOCKED');
    const bad = await session.send('POST', '/api/unlock', { passphrase: 7 });
    expect(bad.status).toBe(400);
  });

  it('cannot be reached on any address but the loopback one', async () => {
    const port = Number(new URL(desk.origin).port);
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((i) => i && i.family === 'IPv4' && !i.internal)
      .map((i) => i!.address);
    // The loopback address itself answers; every other address of this machine refuses.
    await expect(connects('127.0.0.1', port)).resolves.toBe(true);
    for (const address of [...others, '127.0.0.2'])
      await expect(connects(address, port)).resolves.toBe(false);
  });
});

function connects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
