import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import type { Browser, Download, Page } from 'playwright-core';
import { UWAZI_COLUMNS } from '../../console/desk/archives';
import { parseCsv } from '../integration/desk/csv';
import {
  FOLLOW_UP,
  PASSPHRASE,
  startDeskWorld,
  TESTIMONY,
  type DeskWorld,
} from '../integration/desk/desk-fixture';
import { buildDocx } from '../fixtures/make-office';
import { PAPER_CONTRACT, paperPhoto } from '../fixtures/make-paper-photo';
import { foreignRequests, launchChromium, recordRequests } from './browser-harness';

// A case officer's day in Debian's Chromium: unlock, the inbox with a Korean testimony, its
// translation and its follow-up in one case, the photo, recording and video opened in place,
// tag, note and reply, a search for a word only the translation has, the case file and Uwazi
// exports, a photographed paper found by its OCR text and opened as its safe PDF, access given
// to a colleague for several cases at once, and the desk locking itself. Screenshots at desktop and phone sizes must not scroll sideways, and axe-core
// must find nothing serious or critical on any screen.

jest.setTimeout(240_000);

const PAPER_TEXT = '계약서 사진과 파일을 보냅니다.';
const PAPER_TRANSLATION = 'Employment contract, employer Hanbit Fisheries';

// Screenshots go to SORI_SCREENSHOTS or a tmp dir (the screenshots hold test data only).
const SHOTS = process.env.SORI_SCREENSHOTS ?? mkdtempSync(join(tmpdir(), 'sori-desk-shots-'));
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

async function axeProblems(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol: the desk's CSP (rightly) forbids inline script.
  await page.evaluate(AXE);
  const result = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(): Promise<{ violations: Array<{ id: string; impact: string; nodes: unknown[] }> }>;
        };
      }
    ).axe;
    return (await axe.run()).violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      n: v.nodes.length,
    }));
  });
  return result
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}, ${v.n})`);
}

async function noSidewaysScroll(page: Page): Promise<number> {
  return page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
}

async function shoot(page: Page, name: string): Promise<void> {
  for (const [w, hgt] of [
    [1280, 800],
    [390, 844],
  ] as const) {
    await page.setViewportSize({ width: w, height: hgt });
    await page.screenshot({ path: join(SHOTS, `${name}-${w}.png`), fullPage: true });
    expect({ name, w, overflow: await noSidewaysScroll(page) }).toEqual({ name, w, overflow: 0 });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  expect({ name, problems: await axeProblems(page) }).toEqual({ name, problems: [] });
}

/** Chromium's PDF viewer is an extension frame inside the frame that loaded the PDF. */
const pdfViewerOpen = (page: Page): boolean =>
  page
    .frames()
    .some((f) => f.url().startsWith('chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai/'));

const bytesOf = async (d: Download): Promise<Buffer> => readFileSync((await d.path())!);

describe('sori desk in Chromium', () => {
  let world: DeskWorld;
  let browser: Browser;
  let page: Page;
  let origin: string;
  let requests: string[];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    world = await startDeskWorld();
    const desk = await world.startDesk();
    origin = desk.origin;
    browser = await launchChromium();
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      acceptDownloads: true,
    });
    page = await context.newPage();
    requests = recordRequests(page);
    await page.goto(desk.openUrl);
  });

  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it('unlocks with the passphrase typed in the page', async () => {
    await page.waitForSelector('input[name=passphrase]');
    await shoot(page, 'unlock');
    await page.fill('input[name=passphrase]', PASSPHRASE);
    await page.click('button[type=submit]');
    await page.waitForSelector('li.case');
  });

  it('shows the Korean testimony, its translation and its follow-up as one unread case', async () => {
    const cases = page.locator('li.case');
    await expect(cases.count()).resolves.toBe(1);
    const text = await cases.first().innerText();
    expect(text).toContain(TESTIMONY);
    expect(text).toContain('They took my passport.');
    expect(text).toContain('1 후속');
    expect(text).toContain('읽지 않음');
    await shoot(page, 'inbox');
  });

  it('opens the case as one thread and shows the photo in place', async () => {
    await page.click('li.case a.case-link');
    await page.waitForSelector('article.record');
    const thread = await page.locator('article.record').allInnerTexts();
    expect(thread).toHaveLength(2);
    expect(thread[0]).toContain(TESTIMONY);
    expect(thread[0]).toContain('They took my passport.');
    expect(thread[1]).toContain(FOLLOW_UP);
    expect(thread[1]).toContain('I was not paid my wages.');
    await page.getByRole('button', { name: /여기서 보기: .*\.jpg/ }).click();
    const img = page.locator('img.inline-file');
    await img.waitFor();
    await page.waitForFunction(() => {
      const i = document.querySelector<HTMLImageElement>('img.inline-file');
      return i !== null && i.complete && i.naturalWidth > 0;
    });
    await shoot(page, 'case');
  });

  it('plays the recording and the video of the follow-up in place', async () => {
    // The console sends attachments as attachment-N.ext: a source's file names stay home.
    await page.getByRole('button', { name: /여기서 보기: .*\.mp3/ }).click();
    await page.getByRole('button', { name: /여기서 보기: .*\.mp4/ }).click();
    // Metadata loaded and a duration known: Chromium decoded what the desk streamed to it.
    await page.waitForFunction(() => {
      const media = Array.from(
        document.querySelectorAll<HTMLMediaElement>('audio.inline-file, video.inline-file'),
      );
      return media.length === 2 && media.every((m) => m.readyState >= 1 && m.duration > 0);
    });
    const kinds = await page.$$eval('audio.inline-file, video.inline-file', (els) =>
      els.map((e) => e.tagName.toLowerCase()),
    );
    expect(kinds).toEqual(['audio', 'video']);
    await shoot(page, 'case-media');
  });

  it('tags, notes and replies from the case screen', async () => {
    const act = async (field: string, value: string, button: string) => {
      await page.fill(`[name=${field}]`, value);
      await page.getByRole('button', { name: button, exact: true }).click();
      await page.waitForFunction(
        () => document.getElementById('case-status')?.textContent === '저장했습니다.',
      );
      await page.evaluate(() => (document.getElementById('case-status')!.textContent = ''));
    };
    await act('tag', 'passport', '태그 추가');
    await act('note', 'Ask the partner NGO about this employer.', '메모 추가');
    await act('reply', '증언 고맙습니다. 안전하게 지내세요.', '답장 보내기');
    const history = await page.locator('article.record').first().locator('ol.history').innerText();
    expect(history).toContain('#passport');
    expect(history).toContain('Ask the partner NGO about this employer.');
    // The reply sits under the latest message from the source: the conversation's order.
    const latest = await page.locator('article.record').last().locator('ol.history').innerText();
    expect(latest).toContain('증언 고맙습니다.');
  });

  it('finds the case by a word that only its translation contains', async () => {
    await page.click('a.back');
    await page.waitForSelector('input[type=search]');
    const search = async (q: string) => {
      await page.fill('input[type=search]', q);
      await page.getByRole('button', { name: '검색', exact: true }).click();
    };
    await search('embassy');
    await page.waitForSelector('li.empty');
    await search('passport');
    await page.waitForSelector('li.case');
    expect(await page.locator('li.case').count()).toBe(1);
    await shoot(page, 'search');
    await search('');
    await page.waitForSelector('li.case');
  });

  it('exports the Uwazi CSV + ZIP and the printable case file', async () => {
    const [uwazi] = await Promise.all([
      page.waitForEvent('download'),
      page.getByText('Uwazi용 내보내기 (CSV + ZIP)').click(),
    ]);
    const zip = unzipSync(new Uint8Array(await bytesOf(uwazi)));
    const [header, row] = parseCsv(strFromU8(zip['cases.csv']!));
    expect(header).toEqual([...UWAZI_COLUMNS]);
    expect(row![header!.indexOf('title')]).toMatch(/^Case [0-9a-f]{8}/);
    expect(row![header!.indexOf('testimony__en')]).toContain('They took my passport.');
    expect(row![header!.indexOf('tags')]).toBe('passport');
    const attachments = row![header!.indexOf('attachments')]!.split('|');
    expect(attachments).toHaveLength(3);
    for (const a of attachments) expect(zip[a]).toBeDefined();

    await page.click('li.case a.case-link');
    await page.waitForSelector('article.record');
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByText('사건 파일 (HTML, 인쇄용)').click(),
    ]);
    const html = (await bytesOf(file)).toString('utf8');
    expect(html).toContain(TESTIMONY);
    expect(html).toContain('Chain of custody');
  });

  it('takes in a photographed paper: search finds its OCR text, shown with its translation and its safe PDF', async () => {
    // A new source sends a photo of a contract and a Word document, through the intake as
    // always: the worker reads the photo's text (OCR), has it translated, and draws the
    // document's safe rendition. The employer's name is only in the photo, its English only in
    // the translation of what was read.
    const dir = mkdtempSync(join(tmpdir(), 'sori-desk-paper-'));
    const photo = join(dir, 'contract.jpg');
    writeFileSync(photo, await paperPhoto(PAPER_CONTRACT, 'ko'));
    const docx = join(dir, 'contract.docx');
    writeFileSync(docx, await buildDocx());
    const paper = { id: await world.submitNew(PAPER_TEXT, [photo, docx]) };
    rmSync(dir, { recursive: true, force: true });
    await page.getByRole('link', { name: '받은 증언', exact: true }).click();
    await page.getByRole('button', { name: '새 증언 확인' }).click();
    await page.waitForFunction(() => document.querySelectorAll('li.case').length === 2);
    await page.fill('input[type=search]', '한빛수산');
    await page.getByRole('button', { name: '검색', exact: true }).click();
    await page.waitForFunction(() => document.querySelectorAll('li.case').length === 1);
    expect(await page.locator('li.case').getAttribute('data-case')).toBe(paper.id);
    await page.fill('input[type=search]', 'hanbit fisheries');
    await page.getByRole('button', { name: '검색', exact: true }).click();
    await page.waitForSelector(`li.case[data-case="${paper.id}"]`);

    await page.click('li.case a.case-link');
    // The document's panel shows its own OCR text (not translated); this is the photo's.
    const ocr = page.locator('.ocr', { hasText: PAPER_CONTRACT });
    await ocr.waitFor();
    expect(await ocr.innerText()).toContain(PAPER_TRANSLATION);
    await page.getByRole('button', { name: /안전한 PDF 사본 보기/ }).click();
    const frame = page.locator('iframe.inline-file.pdf');
    await frame.waitFor();
    expect(await frame.getAttribute('sandbox')).toBeNull();
    // Chromium's own PDF viewer took the rendition (in the headless browser too).
    for (let i = 0; i < 50 && !pdfViewerOpen(page); i++) await page.waitForTimeout(200);
    expect(pdfViewerOpen(page)).toBe(true);
    // Let the viewer finish drawing the page before the screenshot (nothing asserted on it).
    await page.waitForTimeout(1500);
    await shoot(page, 'case-ocr');
    await page.click('a.back');
    await page.fill('input[type=search]', '');
    await page.getByRole('button', { name: '검색', exact: true }).click();
    await page.waitForFunction(() => document.querySelectorAll('li.case').length === 2);
  }, 480_000);

  it('gives a colleague access to several cases at once from the inbox', async () => {
    // bob was enrolled before the testimony came, so the worker sealed it to him too: take his
    // keys away, as for a colleague enrolled later, so that every grant here is a new one.
    await world.stack.app.pool.query('DELETE FROM record_keys WHERE reviewer_id = $1', [
      world.colleague.id,
    ]);
    const grant = page.getByRole('button', { name: '선택한 사건에 권한 주기' });
    await grant.click();
    expect(await page.locator('.bulk .status').innerText()).toBe(
      '먼저 권한을 줄 사건에 표시하세요.',
    );
    const boxes = page.locator('li.case input[type=checkbox]');
    expect(await boxes.count()).toBe(2);
    for (const box of await boxes.all()) await box.check();
    await page.getByLabel('열람 권한 줄 사람').selectOption('bob');
    await grant.click();
    const status = page.locator('.bulk .status');
    await page.waitForFunction(() =>
      document.querySelector('.bulk .status')?.textContent?.startsWith('권한을 주었습니다'),
    );
    expect(await status.innerText()).toContain('bob (3/3)');
    const { rows } = await world.stack.app.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM record_keys WHERE reviewer_id = $1`,
      [world.colleague.id],
    );
    expect(Number(rows[0]!.n)).toBe(3);
    for (const box of await boxes.all()) await box.uncheck();
  });

  it('shows the admin screen, and the whole desk in English on request', async () => {
    await page.getByRole('link', { name: '관리' }).click();
    await page.waitForSelector('section.admin');
    expect(await page.locator('section.admin table').innerText()).toContain('bob');
    await shoot(page, 'admin');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('link', { name: 'Inbox' }).click();
    await page.waitForSelector('li.case');
    expect(await page.locator('h1').innerText()).toBe('Inbox');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await shoot(page, 'inbox-en');
  });

  it('talked to nobody but the desk', () => {
    // Chromium's own PDF viewer loads its pages from inside the browser (chrome:// and its
    // built-in extension): nothing of it touches the network.
    const internal =
      /^(chrome:\/\/resources\/|chrome-extension:\/\/mhjfbmdgcfjbbpaeojofohoefgiehjai\/)/;
    expect(foreignRequests(requests, origin).filter((u) => !internal.test(u))).toEqual([]);
  });

  it('locks itself after the idle time and asks for the passphrase again', async () => {
    const desk = await world.startDesk(2000);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const p = await context.newPage();
    await p.goto(desk.openUrl);
    await p.fill('input[name=passphrase]', PASSPHRASE);
    await p.click('button[type=submit]');
    await p.waitForSelector('li.case');
    await p.waitForSelector('input[name=passphrase]', { timeout: 20_000 });
    expect(await p.locator('.notice').innerText()).toContain('한동안 사용하지 않아');
    expect(await p.locator('li.case').count()).toBe(0);
    expect(desk.vault.unlocked).toBe(false);
    await context.close();
  });
});
