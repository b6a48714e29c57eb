import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../core/config';
import { silentLogger } from '../core/logger';
import { insertRecord, insertRecordKeys } from '../core/repositories/record.repository';
import { insertReviewer } from '../core/repositories/reviewer.repository';
import {
  encryptRecordBody,
  generateBoxKeyPair,
  generateSignKeyPair,
  newRecordKey,
  randomId,
  sha256,
  wrapRecordKey,
  type ReviewerKeys,
} from '../crypto';
import { startDesk } from '../console/desk/app';
import { openKeyFile, writeKeyFile } from '../console/keystore';
import { composeReviewApp } from '../server/compose';
import { launchChromium } from '../tests/browser/browser-harness';
import type { RecordBodyV1 } from '../core/record/record-body';
import { createBenchSchema } from './fixtures';

// The desk with 1,000 cases: from pressing "Unlock" in Chromium to the inbox rendered (the key
// file opened with production Argon2id parameters, 1,000 records fetched and decrypted, the page
// drawn), and a search over all of them. Records are stored directly (ciphertext, as the worker
// would), each one a case of its own.

export interface DeskFigures {
  cases: number;
  unlockToInboxMs: number;
  searchMs: number;
  searchHits: number;
  /** Of unlockToInboxMs: opening the key file alone (Argon2id, 256 MiB, 3 passes). */
  kdfMs: number;
}

const CASES = Number(process.env.BENCH_DESK_CASES ?? 1000);
const PASSPHRASE = 'bench passphrase for the desk';

function body(i: number): RecordBodyV1 {
  const text = `${i}번 증언입니다. 여권을 빼앗겼고 월급을 받지 못했습니다. `.repeat(12);
  return {
    v: 1,
    submissionId: randomId(),
    receivedOn: '2026-01-01',
    text,
    lang: { code: 'ko', confidence: 0.99, method: 'script' as RecordBodyV1['lang']['method'] },
    translation: {
      text: `Testimony ${i}. They took the passport and did not pay wages. ${i % 100 === 0 ? 'sawmill' : ''}`.repeat(
        3,
      ),
      engine: 'bench',
      engineVersion: '1',
      source: 'ko',
      target: 'en',
    },
    answers: {},
    indicators: i % 3 === 0 ? ['withholding_of_wages'] : [],
    sanitisation: {
      removed: {},
      newlinesNormalised: 0,
      spacesNormalised: 0,
      nfkcChanged: 0,
      trailingSpacesTrimmed: 0,
      lengthBefore: text.length,
      lengthAfter: text.length,
    } as unknown as RecordBodyV1['sanitisation'],
    answersSanitisation: null,
    files: [],
    originals: null,
    sourcePublicKey: null,
    rejectedFields: [],
    receivedSha256: '00'.repeat(32),
  };
}

export async function benchDesk(): Promise<DeskFigures> {
  const schema = await createBenchSchema({ migrate: true });
  const home = mkdtempSync(join(tmpdir(), 'sori-bench-desk-'));
  let review: Server | undefined;
  const browser = await launchChromium();
  try {
    const keys: ReviewerKeys = {
      box: generateBoxKeyPair(),
      sign: generateSignKeyPair(),
    } as ReviewerKeys;
    const reviewerId = randomId();
    await insertReviewer(schema.pool, {
      id: reviewerId,
      name: 'bench',
      role: 'admin',
      boxPublicKey: keys.box.publicKey,
      signPublicKey: keys.sign.publicKey,
    });
    for (let i = 0; i < CASES; i++) {
      const id = randomId();
      const R = newRecordKey();
      const sealed = encryptRecordBody(R, id, body(i));
      await insertRecord(schema.pool, {
        id,
        submissionId: randomId(),
        body: sealed,
        bodySha256: sha256(sealed),
        receivedOn: '2026-01-01',
        language: 'ko',
        translated: true,
      });
      await insertRecordKeys(schema.pool, id, [
        { reviewerId, wrappedKey: wrapRecordKey(R, keys.box.publicKey) },
      ]);
    }
    const config = loadConfig({ ...process.env, NODE_ENV: 'development' });
    const app = composeReviewApp({ pool: schema.pool, config, log: silentLogger });
    review = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const keyPath = join(home, 'key.json');
    process.env.SORI_HOME = home;
    writeKeyFile(keyPath, keys, PASSPHRASE);
    const k0 = performance.now();
    openKeyFile(keyPath, PASSPHRASE);
    const kdfMs = performance.now() - k0;
    const desk = await startDesk({
      server: `http://127.0.0.1:${(review.address() as AddressInfo).port}`,
      keyPath,
      idleMs: 600_000,
    });
    try {
      const page = await (
        await browser.newContext({ viewport: { width: 1280, height: 800 } })
      ).newPage();
      await page.goto(desk.openUrl);
      await page.fill('input[name=passphrase]', PASSPHRASE);
      const t0 = performance.now();
      await page.click('button[type=submit]');
      // The inbox draws its first 100 cases (newest first) and says how many there are; the
      // rest are a "show more" away and already decrypted and searchable.
      await page.waitForFunction(
        (n) =>
          document.querySelectorAll('li.case').length === Math.min(100, n) &&
          document.querySelector('.count')?.textContent?.includes(String(n)),
        CASES,
        { timeout: 120_000, polling: 'raf' },
      );
      const unlockToInboxMs = performance.now() - t0;
      // Search: the query to the desk, the in-memory match over every decrypted text, the answer.
      const s0 = performance.now();
      const res = await page.evaluate(
        // As the page asks: with its own per-launch secret (console/desk/guard.ts).
        async () =>
          (await (
            await fetch('/api/cases?q=sawmill', {
              headers: { 'x-sori-desk': sessionStorage.getItem('sori-desk-k') ?? '' },
            })
          ).json()) as { cases: unknown[] },
      );
      const searchMs = performance.now() - s0;
      return { cases: CASES, unlockToInboxMs, searchMs, searchHits: res.cases.length, kdfMs };
    } finally {
      await desk.close();
    }
  } finally {
    await browser.close();
    review?.closeAllConnections();
    review?.close();
    rmSync(home, { recursive: true, force: true });
    await schema.drop();
  }
}
