import { encryptedFileSize } from '../../../crypto';
import { startTestApp, type TestApp } from '../../support/app';
import { tus } from './tus-fixtures';

// Anyone can open uploads, so what all unclaimed uploads together may promise is bounded: a
// flood of large uploads must not fill the disk that holds committed testimony.

describe('uploads: quota on unclaimed bytes', () => {
  let app: TestApp;
  const size = encryptedFileSize(100_000);
  beforeAll(async () => {
    app = await startTestApp({ env: { UPLOAD_QUOTA_BYTES: String(size * 2) } });
  });
  afterAll(() => app.close());

  it('refuses a new upload with 503 UPLOADS_FULL once the promised bytes reach the quota', async () => {
    const create = () => tus(`${app.url}/v1/uploads`, 'POST', { 'Upload-Length': String(size) });
    expect((await create()).status).toBe(201);
    expect((await create()).status).toBe(201);
    const third = await create();
    expect(third.status).toBe(503);
    expect(third.code).toBe('UPLOADS_FULL');
    expect(third.headers.get('retry-after')).toBe('30');
  });
});
