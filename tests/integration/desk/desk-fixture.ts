import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { insertReviewer } from '../../../core/repositories/reviewer.repository';
import {
  generateBoxKeyPair,
  generateSignKeyPair,
  initCrypto,
  randomId,
  type ReviewerKeys,
} from '../../../crypto';
import { createApiClient } from '../../../console/api-client';
import { startDesk, type Desk } from '../../../console/desk/app';
import { writeKeyFile } from '../../../console/keystore';
import { fetchIntakeKey, submitTestimony } from '../../../console/submission';
import { makeJpeg } from '../../fixtures/make-image';
import { makeMp3, makeMp4 } from '../../fixtures/make-media';
import { startStack, waitFor, type Stack } from '../console/console-harness';

// The whole system for desk tests: intake, worker (LibreTranslate stub), review API, and a
// desk started in-process for an admin reviewer whose key file sits in a temporary SORI_HOME.
// A Korean testimony with a photo arrives under one receipt, then a follow-up under the same
// receipt, with a voice recording and a video: the desk must show them as one case, and play
// both in place. `submitNew` sends another source's testimony the same way, mid-test.

export const PASSPHRASE = 'correct horse battery staple';
export const TESTIMONY = '여권을 빼앗겼어요.';
export const FOLLOW_UP = '월급을 받지 못했습니다.';

export interface DeskWorld {
  stack: Stack;
  home: string;
  keyPath: string;
  admin: { id: string; name: string };
  colleague: { id: string; name: string };
  records: string[];
  /** A new source's testimony in Korean with these files; resolves to its record once made. */
  submitNew(text: string, attach: readonly string[]): Promise<string>;
  startDesk(idleMs?: number): Promise<Desk>;
  close(): Promise<void>;
}

async function enrol(
  stack: Stack,
  name: string,
  role: 'admin' | 'reviewer',
): Promise<{ id: string; keys: ReviewerKeys }> {
  const keys = { box: generateBoxKeyPair(), sign: generateSignKeyPair() } as ReviewerKeys;
  const id = randomId();
  await insertReviewer(stack.app.pool, {
    id,
    name,
    role,
    boxPublicKey: keys.box.publicKey,
    signPublicKey: keys.sign.publicKey,
  });
  return { id, keys };
}

async function recordCount(stack: Stack): Promise<number> {
  const { rows } = await stack.app.pool.query<{ n: string }>('SELECT count(*) AS n FROM records');
  return Number(rows[0]!.n);
}

export async function startDeskWorld(): Promise<DeskWorld> {
  await initCrypto();
  process.env.SORI_KDF_PARAMS = 'test';
  const stack = await startStack();
  const home = mkdtempSync(join(tmpdir(), 'sori-desk-'));
  process.env.SORI_HOME = home;
  const keyPath = join(home, 'key.json');
  const admin = await enrol(stack, 'alice', 'admin');
  const colleague = await enrol(stack, 'bob', 'reviewer');
  writeKeyFile(keyPath, admin.keys, PASSPHRASE);

  const intakeApi = createApiClient({ baseUrl: stack.app.url });
  const intake = await fetchIntakeKey(intakeApi);
  // The source's photo is made outside SORI_HOME: the tests check what the desk leaves there.
  const photoDir = mkdtempSync(join(tmpdir(), 'sori-desk-photo-'));
  const photo = await makeJpeg(photoDir);
  const first = await submitTestimony(intakeApi, intake, {
    text: TESTIMONY,
    lang: 'ko',
    attach: [photo.path],
  });
  await waitFor('the first record', async () => (await recordCount(stack)) === 1, 60_000);
  const voice = join(photoDir, 'voice.mp3');
  writeFileSync(voice, await makeMp3(photoDir));
  const video = join(photoDir, 'video.mp4');
  writeFileSync(video, await makeMp4(photoDir));
  await submitTestimony(
    intakeApi,
    intake,
    { text: FOLLOW_UP, lang: 'ko', attach: [voice, video] },
    first.receipt,
  );
  await waitFor('the follow-up record', async () => (await recordCount(stack)) === 2, 120_000);
  const { rows } = await stack.app.pool.query<{ id: string }>(
    'SELECT id FROM records ORDER BY case_seq',
  );
  rmSync(photoDir, { recursive: true, force: true });

  const desks: Desk[] = [];
  return {
    stack,
    home,
    keyPath,
    admin: { id: admin.id, name: 'alice' },
    colleague: { id: colleague.id, name: 'bob' },
    records: rows.map((r) => r.id),
    async submitNew(text, attach) {
      const known = (await stack.app.pool.query<{ id: string }>('SELECT id FROM records')).rows;
      await submitTestimony(intakeApi, intake, { text, lang: 'ko', attach });
      // The jail reads photos of paper (OCR) and draws documents' renditions: minutes when busy.
      const made = await waitFor(
        'the new record',
        async () =>
          (
            await stack.app.pool.query<{ id: string }>(
              'SELECT id FROM records WHERE NOT (id = ANY($1))',
              [known.map((r) => r.id)],
            )
          ).rows[0],
        300_000,
      );
      return made.id;
    },
    async startDesk(idleMs = 15 * 60_000) {
      const d = await startDesk({ server: stack.reviewUrl, keyPath, idleMs });
      desks.push(d);
      return d;
    },
    async close() {
      for (const d of desks) await d.close();
      await stack.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
