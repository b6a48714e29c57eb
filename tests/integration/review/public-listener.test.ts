import { randomId } from '../../../crypto';
import { startTestApp, type TestApp } from '../../support/app';

// The review routes live on their own listener: the public app (what sources reach) must not
// serve a single one of them, whatever the method.

describe('public listener serves no review route', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => app.close());

  const id = '00000000-0000-4000-8000-000000000000';
  it.each([
    ['POST', '/v1/auth/challenge'],
    ['POST', '/v1/auth/session'],
    ['DELETE', '/v1/auth/session'],
    ['GET', '/v1/me'],
    ['GET', '/v1/records'],
    ['GET', `/v1/records/${id}`],
    ['POST', `/v1/records/${id}/entries`],
    ['POST', `/v1/records/${id}/grants`],
    ['POST', `/v1/records/${id}/replies`],
    ['GET', '/v1/reviewers'],
    ['GET', '/v1/custody'],
    ['POST', '/v1/admin/reviewers'],
    ['POST', `/v1/admin/reviewers/${id}/revoke`],
    ['GET', '/v1/admin/intake-keys'],
    ['POST', '/v1/admin/intake-keys'],
    ['GET', '/v1/admin/retention'],
    ['PUT', '/v1/admin/retention'],
    ['POST', '/v1/admin/retention/run'],
  ])('%s %s → 404', async (method, path) => {
    const res = await fetch(`${app.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${randomId()}` },
      body: method === 'GET' || method === 'DELETE' ? undefined : '{}',
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'No such resource' } });
  });
});
