// Every fixture the project makes, through the real sanitiser jail in one submission (so one
// jail's long-lived exiftool sees them all, in order): no clean output carries a planted value
// by any reading — raw bytes, exiftool -a -G1 -ee3 -u, every part of a zip, qpdf --qdf of a
// PDF — and every report names what was removed. Each document's safe rendition and any OCR
// text are held to the same readings, and every document has a rendition.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { DEFAULT_LIMITS } from '../../../worker/jail/jail-spawn';
import { createJailSandbox } from '../../../worker/jail/sandbox';
import type { SanitiseResult } from '../../../worker/sanitise';
import { heifEncAvailable, makeHeic } from '../../fixtures/make-heic';
import { buildHwp, buildHwpx, HWP_PLANTED } from '../../fixtures/make-hwp';
import { makeJpeg, makeOther, makePng } from '../../fixtures/make-image';
import {
  ffmpegTo,
  makeM4a,
  makeMp3,
  makeMp4,
  makeOther as makeAudio,
  MEDIA_PLANTED,
} from '../../fixtures/make-media';
import { buildDocx, buildOdt, PLANTED as OFFICE } from '../../fixtures/make-office';
import { makePdf } from '../../fixtures/make-pdf';
import { qpdfExpand, recoverable, sanitiseTestDirs } from '../../fixtures/make-sanitise-context';
import { renditionFindings } from './corpus-renditions';

jest.setTimeout(600_000);
const dirs = sanitiseTestDirs();

interface Item {
  name: string;
  data: Buffer;
  planted: string[];
}

const MEDIA = [MEDIA_PLANTED.artist, MEDIA_PLANTED.title, MEDIA_PLANTED.comment];
const OFFICE_VALUES = Object.values(OFFICE).filter((v) => v !== OFFICE.rsid);
const TAGS = [
  '-metadata',
  `artist=${MEDIA_PLANTED.artist}`,
  '-metadata',
  `title=${MEDIA_PLANTED.title}`,
];
const TONE = ['-f', 'lavfi', '-i', 'sine=frequency=440:duration=2'];
const VIDEO = ['-f', 'lavfi', '-i', 'testsrc=size=96x64:rate=10:duration=2'];

async function corpus(): Promise<Item[]> {
  const d = dirs.fixtures;
  const file = async (name: string, f: Promise<{ path: string; planted: string[] }>) => {
    const { path, planted } = await f;
    return { name, data: readFileSync(path), planted };
  };
  const items: Item[] = [];
  if (heifEncAvailable())
    items.push(await file('a.heic', makeHeic(d) as Promise<{ path: string; planted: string[] }>));
  items.push(
    await file('a.jpg', makeJpeg(d)),
    await file('a.png', makePng(d)),
    await file('a.webp', makeOther(d, 'webp')),
    await file('a.tiff', makeOther(d, 'tiff')),
    await file('a.gif', makeOther(d, 'gif')),
    await file('a.pdf', makePdf(d)),
    { name: 'a.docx', data: await buildDocx(), planted: OFFICE_VALUES },
    { name: 'a.odt', data: await buildOdt(), planted: OFFICE_VALUES },
    { name: 'a.mp3', data: await makeMp3(d), planted: [...MEDIA, MEDIA_PLANTED.coverTitle] },
    { name: 'a.m4a', data: await makeM4a(d), planted: MEDIA },
    { name: 'a.mp4', data: await makeMp4(d), planted: MEDIA },
    { name: 'a.ogg', data: await makeAudio(d, 'ogg'), planted: MEDIA },
    { name: 'a.wav', data: await makeAudio(d, 'wav'), planted: MEDIA },
    { name: 'a.flac', data: ffmpegTo(d, 'c.flac', [...TONE, ...TAGS]), planted: MEDIA.slice(0, 2) },
    { name: 'a.aiff', data: ffmpegTo(d, 'c.aiff', [...TONE, ...TAGS]), planted: MEDIA.slice(0, 2) },
    {
      name: 'a.avi',
      data: ffmpegTo(d, 'c.avi', [...VIDEO, ...TONE, '-c:v', 'mpeg4', ...TAGS]),
      planted: MEDIA.slice(0, 2),
    },
    {
      name: 'a.wmv',
      data: ffmpegTo(d, 'c.wmv', [...VIDEO, ...TONE, '-c:v', 'wmv2', ...TAGS]),
      planted: MEDIA.slice(0, 2),
    },
    {
      name: 'a.bmp',
      data: Buffer.concat([
        ffmpegTo(d, 'c.bmp', [
          '-f',
          'lavfi',
          '-i',
          'testsrc=size=16x8',
          '-frames:v',
          '1',
          '-pix_fmt',
          'bgr24',
        ]),
        Buffer.from('PLANT-CORPUS-BMP'),
      ]),
      planted: ['PLANT-CORPUS-BMP'],
    },
    {
      name: 'a.ppm',
      data: Buffer.from('P3\n# PLANT-CORPUS-PPM\n1 1\n255\n1 2 3\n'),
      planted: ['PLANT-CORPUS-PPM'],
    },
    {
      name: 'a.svg',
      data: Buffer.from(
        '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><metadata>PLANT-CORPUS-SVG</metadata><rect width="8" height="8"/></svg>',
      ),
      planted: ['PLANT-CORPUS-SVG'],
    },
    {
      name: 'a.html',
      data: Buffer.from(
        '<html><head><meta name="author" content="PLANT-CORPUS-HTML"></head><body><p>text</p></body></html>',
      ),
      planted: ['PLANT-CORPUS-HTML'],
    },
    { name: 'a.hwp', data: await buildHwp(), planted: HWP_PLANTED },
    { name: 'a.hwpx', data: await buildHwpx(), planted: HWP_PLANTED },
  );
  return items;
}

function exiftoolText(data: Buffer, ext: string): string {
  const path = join(dirs.ctx.tmpDir, `corpus-out.${ext}`);
  writeFileSync(path, data, { mode: 0o600 });
  const run = spawnSync('exiftool', ['-a', '-G1', '-ee3', '-u', path]);
  return run.stdout.toString('utf8');
}

function views(result: Extract<SanitiseResult, { status: 'clean' }>): string[] {
  const out = [exiftoolText(result.data, result.extension)];
  if (result.data.subarray(0, 4).toString('latin1') === 'PK\x03\x04') {
    for (const bytes of Object.values(unzipSync(result.data)))
      out.push(Buffer.from(bytes).toString('utf8'));
  }
  if (result.extension === 'pdf') out.push(qpdfExpand(result.data, dirs.fixtures));
  return out;
}

test('no clean output of any fixture carries a planted value, and each report names what went', async () => {
  const items = await corpus();
  const sandbox = createJailSandbox({
    poolSize: 1,
    limits: { ...DEFAULT_LIMITS, memoryMb: 6144 },
    session: { deadlineMs: 120_000, maxOutputBytes: 64 * 1024 * 1024 },
  });
  const findings: Record<string, unknown> = {};
  try {
    await sandbox.start();
    await sandbox.session(async (s) => {
      for (const item of items) {
        const result = await s.sanitise(item.data, { name: item.name, type: '' });
        if (result.status !== 'clean') {
          findings[item.name] = `not clean: ${result.reason}`;
          continue;
        }
        const left = recoverable(result.data, item.planted, ...views(result));
        if (left.length > 0) findings[item.name] = { left };
        if (result.report.removed.length === 0)
          findings[`${item.name} report`] = 'names nothing removed';
        Object.assign(findings, await renditionFindings(item, result, dirs));
      }
    });
  } finally {
    await sandbox.close();
  }
  expect(findings).toEqual({});
  expect(items.length).toBeGreaterThanOrEqual(24);
});
