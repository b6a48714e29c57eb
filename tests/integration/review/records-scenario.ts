import { encryptEntry, toBase64 } from '../../../crypto';
import {
  call,
  enrol,
  login,
  seedRecord,
  startReviewApp,
  type ReviewTestApp,
  type SeededRecord,
  type TestReviewer,
} from './review-fixtures';

// One review app with five records sealed to alice (not to carol), both logged in.

export interface RecordsScenario {
  app: ReviewTestApp;
  alice: TestReviewer;
  carol: TestReviewer;
  aliceToken: string;
  carolToken: string;
  records: SeededRecord[];
  get(path: string, token?: string): ReturnType<typeof call>;
  post(path: string, body: unknown, token?: string): ReturnType<typeof call>;
}

export async function startRecordsScenario(): Promise<RecordsScenario> {
  const app = await startReviewApp();
  const alice = await enrol(app.pool, 'alice');
  const carol = await enrol(app.pool, 'carol');
  const records: SeededRecord[] = [];
  for (const [day, language, translated] of [
    ['2024-01-10', 'ko', true],
    ['2024-01-11', 'ru', false],
    ['2024-01-12', 'ko', false],
    ['2024-01-12', 'ko', true],
    ['2024-01-13', 'en', false],
  ] as const) {
    records.push(await seedRecord(app.pool, [alice], { receivedOn: day, language, translated }));
  }
  const aliceToken = await login(app.url, alice);
  const carolToken = await login(app.url, carol);
  return {
    app,
    alice,
    carol,
    aliceToken,
    carolToken,
    records,
    get: (path, token = aliceToken) => call(app.url, 'GET', path, { token }),
    post: (path, body, token = aliceToken) => call(app.url, 'POST', path, { token, body }),
  };
}

export const entryBody = (r: SeededRecord, id: string, value: unknown): string =>
  toBase64(encryptEntry(r.recordKey, r.id, id, value));
