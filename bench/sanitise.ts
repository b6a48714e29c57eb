import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { GPS, makeJpeg, makePng } from '../tests/fixtures/make-image';
import { buildHwp, buildHwpx, HWP_PLANTED } from '../tests/fixtures/make-hwp';
import { ffmpegTo, makeM4a, makeMp3, makeMp4, MEDIA_PLANTED } from '../tests/fixtures/make-media';
import { buildDocx, buildOdt, PLANTED } from '../tests/fixtures/make-office';
import { makePdf } from '../tests/fixtures/make-pdf';
import { qpdfExpand, recoverable } from '../tests/fixtures/make-sanitise-context';
import { sanitiseFile, withSanitiseTmpDir } from '../worker/sanitise';
import type { SanitiseContext } from '../worker/sanitise/types';
import type { Outcome, Row } from './report-row';
import { nowMs, percentile } from './stats';

// Issue 5's sanitising figure: each fixture format through sanitiseFile (in process, warm) and
// through `mat2 --inplace` (a subprocess, so Python start-up is in its time), median of RUNS;
// then whether our output still holds any planted value that mat2's output does not.

const RUNS = 5;

export interface Sample {
  format: string;
  ext: string;
  /** The extension mat2 is given, when it does not list `ext` under the same container. */
  mat2Ext: string;
  data: Buffer;
  planted: string[];
}

export interface FormatFigures {
  format: string;
  bytes: number;
  soriMs: number;
  soriStatus: string;
  mat2Ms: number | null;
  mat2Note: string;
  soriLeft: string[];
  mat2Left: string[];
  /** Values our output holds that mat2's does not (none when mat2 could not run). */
  worse: string[];
}

export interface SanitiseFigures {
  mat2Version: string | null;
  formats: FormatFigures[];
}

export async function samples(dir: string): Promise<Sample[]> {
  const jpeg = await makeJpeg(dir);
  const png = await makePng(dir);
  const pdf = await makePdf(dir);
  const office = Object.values(PLANTED) as string[];
  const media = Object.values(MEDIA_PLANTED) as string[];
  return [
    {
      format: 'JPEG',
      ext: 'jpg',
      mat2Ext: 'jpg',
      data: readFileSync(jpeg.path),
      planted: [...jpeg.planted, GPS.lat, GPS.lon],
    },
    {
      format: 'PNG',
      ext: 'png',
      mat2Ext: 'png',
      data: readFileSync(png.path),
      planted: png.planted,
    },
    {
      format: 'PDF',
      ext: 'pdf',
      mat2Ext: 'pdf',
      data: readFileSync(pdf.path),
      planted: pdf.planted,
    },
    { format: 'DOCX', ext: 'docx', mat2Ext: 'docx', data: await buildDocx(), planted: office },
    { format: 'ODT', ext: 'odt', mat2Ext: 'odt', data: await buildOdt(), planted: office },
    { format: 'MP3', ext: 'mp3', mat2Ext: 'mp3', data: await makeMp3(dir), planted: media },
    // mat2 lists .mp4 but not .m4a; the M4A file is the same MP4 container.
    { format: 'M4A', ext: 'm4a', mat2Ext: 'mp4', data: await makeM4a(dir), planted: media },
    { format: 'MP4 video', ext: 'mp4', mat2Ext: 'mp4', data: await makeMp4(dir), planted: media },
    ...(await moreSamples(dir, media)),
  ];
}

/** Issue 15's formats (fixtures made as in their tests; mat2 takes all but BMP and HWP/HWPX). */
async function moreSamples(dir: string, media: string[]): Promise<Sample[]> {
  const tags = [
    '-metadata',
    `artist=${MEDIA_PLANTED.artist}`,
    '-metadata',
    `title=${MEDIA_PLANTED.title}`,
  ];
  const tone = ['-f', 'lavfi', '-i', 'sine=frequency=440:duration=3'];
  const video = ['-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=15:duration=3'];
  const ff = (out: string, args: string[]) => ffmpegTo(dir, out, [...args, ...tags]);
  const sample = (format: string, ext: string, data: Buffer, planted: string[]): Sample => ({
    format,
    ext,
    mat2Ext: ext,
    data,
    planted,
  });
  return [
    sample(
      'BMP',
      'bmp',
      ffmpegTo(dir, 'b.bmp', [
        '-f',
        'lavfi',
        '-i',
        'testsrc=size=640x480',
        '-frames:v',
        '1',
        '-pix_fmt',
        'bgr24',
      ]),
      [],
    ),
    sample('PPM', 'ppm', Buffer.from('P3\n# PLANT-BENCH-PPM\n2 1\n255\n1 2 3 4 5 6\n'), [
      'PLANT-BENCH-PPM',
    ]),
    sample(
      'SVG',
      'svg',
      Buffer.from(
        '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300"><metadata>PLANT-BENCH-SVG</metadata><circle cx="200" cy="150" r="100" fill="teal"/></svg>',
      ),
      ['PLANT-BENCH-SVG'],
    ),
    sample(
      'HTML',
      'html',
      Buffer.from(
        '<html><head><meta name="author" content="PLANT-BENCH-HTML"></head><body><p>Passports were taken.</p></body></html>',
      ),
      ['PLANT-BENCH-HTML'],
    ),
    sample('FLAC', 'flac', ff('b.flac', [...tone, '-c:a', 'flac']), media.slice(0, 2)),
    sample('AIFF', 'aiff', ff('b.aiff', tone), media.slice(0, 2)),
    sample('AVI', 'avi', ff('b.avi', [...video, ...tone, '-c:v', 'mpeg4']), media.slice(0, 2)),
    sample(
      'WMV',
      'wmv',
      ff('b.wmv', [...video, ...tone, '-c:v', 'wmv2', '-c:a', 'wmav2']),
      media.slice(0, 2),
    ),
    sample('HWP', 'hwp', await buildHwp(), HWP_PLANTED),
    sample('HWPX', 'hwpx', await buildHwpx(), HWP_PLANTED),
  ];
}

/** Planted values recoverable from raw bytes, inflated zip parts, or qpdf's expanded PDF. */
function leftovers(data: Buffer, s: Sample, dir: string): string[] {
  const views: string[] = [];
  if (data.subarray(0, 4).toString('latin1') === 'PK\x03\x04') {
    const parts = unzipSync(data);
    views.push(Object.keys(parts).join('\n'));
    for (const bytes of Object.values(parts)) views.push(Buffer.from(bytes).toString('latin1'));
  }
  if (s.ext === 'pdf') views.push(qpdfExpand(data, dir));
  return recoverable(data, s.planted, ...views);
}

function mat2Version(): string | null {
  const run = spawnSync('mat2', ['--version']);
  if (run.error !== undefined || run.status !== 0) return null;
  return run.stdout.toString().trim().split('\n')[0] ?? 'mat2';
}

/** One `mat2 --inplace` on a fresh copy: wall ms and the output, or why it failed. */
function mat2Once(
  s: Sample,
  dir: string,
  extra: string[] = [],
): { ms: number; out: Buffer } | { error: string } {
  const copy = join(dir, `mat2-copy.${s.mat2Ext}`);
  writeFileSync(copy, s.data, { mode: 0o600 });
  try {
    const t = nowMs();
    const run = spawnSync('mat2', [...extra, '--inplace', copy], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const ms = nowMs() - t;
    if (run.error !== undefined || run.status !== 0)
      return {
        error: `mat2 exit ${run.status}: ${run.stderr.toString().replace(/\s+/g, ' ').replace(dir, '…').trim().slice(0, 140)}`,
      };
    return { ms, out: readFileSync(copy) };
  } finally {
    rmSync(copy, { force: true });
  }
}

async function measure(
  s: Sample,
  ctx: SanitiseContext,
  dir: string,
  mat2: boolean,
): Promise<FormatFigures> {
  const declared = { name: '', type: '' };
  const first = await sanitiseFile(s.data, declared, ctx); // warm-up, and the output compared
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = nowMs();
    await sanitiseFile(s.data, declared, ctx);
    times.push(nowMs() - t);
  }
  const soriLeft = first.status === 'clean' ? leftovers(first.data, s, dir) : s.planted;
  let mat2Ms: number | null = null;
  let mat2Note = mat2 ? '' : 'mat2 not installed';
  let mat2Out: Buffer | undefined;
  if (mat2) {
    const mat2Times: number[] = [];
    // mat2 aborts on an archive member it does not know (DOCX's word/comments.xml); then it is
    // timed with --unknown-members omit, which drops such members, and the table says so.
    let extra: string[] = [];
    const probe = mat2Once(s, dir);
    if ('error' in probe) {
      extra = ['--unknown-members', 'omit'];
      mat2Note = `${probe.error}; timed with --unknown-members omit`;
    }
    for (let i = 0; i < RUNS; i++) {
      const r = mat2Once(s, dir, extra);
      if ('error' in r) {
        mat2Note = r.error;
        mat2Times.length = 0;
        break;
      } else {
        mat2Times.push(r.ms);
        mat2Out = r.out;
      }
    }
    if (mat2Times.length === RUNS) mat2Ms = percentile(mat2Times, 50);
    else mat2Out = undefined;
    if (s.mat2Ext !== s.ext)
      mat2Note = [mat2Note, `run as .${s.mat2Ext} (mat2 does not list .${s.ext})`]
        .filter(Boolean)
        .join('; ');
  }
  const mat2Left = mat2Out ? leftovers(mat2Out, s, dir) : [];
  return {
    format: s.format,
    bytes: s.data.length,
    soriMs: percentile(times, 50),
    soriStatus: first.status === 'clean' ? 'clean' : `unsanitised (${first.reason})`,
    mat2Ms,
    mat2Note,
    soriLeft,
    mat2Left,
    worse: mat2Out ? soriLeft.filter((p) => !mat2Left.includes(p)) : soriLeft,
  };
}

export async function benchSanitise(): Promise<SanitiseFigures> {
  const version = mat2Version();
  const dir = mkdtempSync('/dev/shm/sori-bench-fixtures-');
  try {
    const all = await samples(dir);
    const formats: FormatFigures[] = [];
    await withSanitiseTmpDir(async (ctx) => {
      for (const s of all) formats.push(await measure(s, ctx, dir, version !== null));
    });
    return { mat2Version: version, formats };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Report lines.

const ms = (x: number): string => `${x.toFixed(1)} ms`;
const kb = (n: number): string => `${(n / 1024).toFixed(1)} KiB`;

export function sanitiseRows(o: Outcome<SanitiseFigures>): Row[] {
  const what = 'Sanitising time per format vs mat2, nothing left that mat2 removed';
  const target = 'no slower than mat2; nothing left that mat2 removed';
  if (!o.ok)
    return [
      { what, figure: `not measured: ${o.why.slice(0, 300)}`, target, verdict: 'not measured' },
    ];
  const f = o.value.formats;
  const timed = f.filter((x) => x.mat2Ms !== null);
  const faster = timed.filter((x) => x.soriMs <= (x.mat2Ms as number));
  const clean = f.filter((x) => x.worse.length === 0 && x.soriStatus === 'clean');
  const slowest = [...timed].sort(
    (a, b) => b.soriMs / (b.mat2Ms as number) - a.soriMs / (a.mat2Ms as number),
  )[0];
  return [
    {
      what,
      figure:
        `${faster.length} of ${timed.length} formats that mat2 also cleans no slower than mat2` +
        (slowest
          ? ` (highest ratio ${(slowest.soriMs / (slowest.mat2Ms as number)).toFixed(2)}, ${slowest.format})`
          : '') +
        `; ${clean.length} of ${f.length} clean with nothing left that mat2 removed (table below)`,
      target,
      verdict:
        o.value.mat2Version === null
          ? 'not measured (no mat2)'
          : // Timed where both clean the format: mat2 handles no BMP, HTML or HWP, and its SVG
            // parser fails here.
            faster.length === timed.length && clean.length === f.length
            ? 'met'
            : '**not met**',
    },
  ];
}

export function sanitiseDetails(o: Outcome<SanitiseFigures>): string[] {
  if (!o.ok) return [];
  const lines = [
    `- Sanitising, median of ${RUNS} runs each (${o.value.mat2Version ?? 'mat2 not installed'}):`,
    '',
    '  | format | size | Sori ms | mat2 ms | Sori / mat2 | nothing left that mat2 removed | notes |',
    '  |---|---|---|---|---|---|---|',
  ];
  for (const x of o.value.formats) {
    const notes = [
      x.soriStatus === 'clean' ? '' : `Sori: ${x.soriStatus}`,
      x.mat2Note,
      x.worse.length > 0 ? `Sori leaves ${x.worse.join(', ')}` : '',
      x.mat2Left.length > 0 ? `mat2 leaves ${x.mat2Left.join(', ')}` : '',
    ].filter(Boolean);
    lines.push(
      `  | ${x.format} | ${kb(x.bytes)} | ${ms(x.soriMs)} | ${x.mat2Ms === null ? '—' : ms(x.mat2Ms)} | ` +
        `${x.mat2Ms === null ? '—' : (x.soriMs / x.mat2Ms).toFixed(2)} | ${x.worse.length === 0 && x.soriStatus === 'clean' ? 'yes' : 'no'} | ${notes.join('; ') || '—'} |`,
    );
  }
  lines.push('');
  return lines;
}

export const SANITISE_METHOD: string[] = [
  '- Sanitising: fixtures made by tests/fixtures/make-*.ts (the ones the sanitiser tests use,',
  '  planted with identifying values) on tmpfs. Sori = sanitiseFile in the bench process, one warm-up',
  `  call then the median of ${RUNS}; mat2 = \`mat2 --inplace\` on a fresh copy, median of ${RUNS} wall times of`,
  '  the subprocess, so Python start-up (a few hundred ms) is part of its figure. "Nothing left that',
  '  mat2 removed": every planted string is searched (case-insensitive) in both outputs — raw bytes,',
  '  every inflated part of a zip, and `qpdf --qdf` for a PDF — and none may remain in ours that is',
  "  gone from mat2's.",
];
