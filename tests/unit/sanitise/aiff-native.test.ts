import { remuxAiff } from '../../../worker/sanitise/media/aiff/remux';
import { ffmpegTo, MEDIA_PLANTED } from '../../fixtures/make-media';
import { sanitiseTestDirs } from '../../fixtures/make-sanitise-context';
import { declinedClean, expectSameAudio, nativeClean } from './native-audio';

// The native AIFF / AIFF-C remuxer (media/aiff/) on files written by ffmpeg with NAME, AUTH,
// (c), ANNO and ID3 chunks, plus hand-added APPL, MARK and unknown chunks and a planted AIFF-C
// compression name: only COMM, SSND (and FVER) stay, the samples bit-identical. A chunk running
// past the end or bytes after the FORM are declined and cleaned by ffmpeg instead.

const dirs = sanitiseTestDirs();
const APPL = 'PLANTED-APPL';
const MARKER = 'PLANTED-MARKER';
const UNKNOWN = 'PLANTED-UNKNOWN';
const CODEC = 'PLANTED-CODEC-NAME';
const TRAILER = 'PLANTED-TRAILER';
const planted = [
  ...[MEDIA_PLANTED.artist, MEDIA_PLANTED.title, MEDIA_PLANTED.comment, 'PLANTED-COPYRIGHT'],
  ...[APPL, MARKER, UNKNOWN, CODEC, TRAILER, 'Lavf'],
];

function tagged(ext: 'aiff' | 'aifc', codec: string[]): Buffer {
  return ffmpegTo(dirs.fixtures, `tagged.${ext}`, [
    ...['-f', 'lavfi', '-i', 'sine=frequency=440:duration=2', ...codec, '-f', 'aiff'],
    ...['-write_id3v2', '1', '-metadata', `artist=${MEDIA_PLANTED.artist}`],
    ...[
      '-metadata',
      `title=${MEDIA_PLANTED.title}`,
      '-metadata',
      `comment=${MEDIA_PLANTED.comment}`,
    ],
    ...['-metadata', 'copyright=PLANTED-COPYRIGHT', '-metadata', 'author=PLANTED-COPYRIGHT'],
  ]);
}

interface Chunk {
  id: string;
  body: Buffer;
}

function chunks(b: Buffer): Chunk[] {
  const out: Chunk[] = [];
  for (let o = 12; o < b.length;) {
    const size = b.readUInt32BE(o + 4);
    out.push({ id: b.toString('latin1', o, o + 4), body: b.subarray(o + 8, o + 8 + size) });
    o += 8 + size + (size & 1);
  }
  return out;
}

function form(kind: string, list: Chunk[]): Buffer {
  const parts = list.map(({ id, body }) => {
    const head = Buffer.alloc(8);
    head.write(id, 'latin1');
    head.writeUInt32BE(body.length, 4);
    return Buffer.concat([head, body, Buffer.alloc(body.length & 1)]);
  });
  const head = Buffer.alloc(12);
  head.write(`FORM\0\0\0\0${kind}`, 'latin1');
  head.writeUInt32BE(4 + parts.reduce((n, p) => n + p.length, 0), 4);
  return Buffer.concat([head, ...parts]);
}

/** ffmpeg's chunks with APPL, MARK and an unknown odd-sized chunk added among them. */
function withExtraChunks(kind: 'AIFF' | 'AIFC', input: Buffer): Buffer {
  const list = chunks(input);
  const marker = Buffer.concat([
    Buffer.from([0, 1, 0, 1, 0, 0, 0, 0, MARKER.length]),
    Buffer.from(MARKER),
  ]);
  return form(kind, [
    { id: 'APPL', body: Buffer.from(`Sori${APPL}`) },
    ...list.slice(0, 1),
    { id: 'MARK', body: marker },
    { id: 'ZZZZ', body: Buffer.from(`${UNKNOWN}!`) }, // odd length: padded
    ...list.slice(1),
  ]);
}

test('AIFF: name, author, copyright, annotation, ID3, APPL, MARK and an unknown chunk go', async () => {
  const input = withExtraChunks('AIFF', tagged('aiff', []));
  expect(chunks(input).map((c) => c.id)).toEqual(
    expect.arrayContaining(['NAME', 'AUTH', '(c) ', 'ANNO', 'ID3 ']),
  );
  const result = await nativeClean(dirs, input, 'aiff', remuxAiff, planted);
  expect(result.report.removed.sort()).toEqual(
    [
      'application data',
      'markers',
      'unknown chunk',
      'name',
      'author',
      'copyright',
      'annotation',
      'ID3 tag',
    ].sort(),
  );
  expect(chunks(result.data).map((c) => c.id)).toEqual(['COMM', 'SSND']);
  expect(result.data.readUInt32BE(4)).toBe(result.data.length - 8);
  expectSameAudio(dirs, input, result.data, 'aiff');
});

test('AIFF-C (little-endian PCM): FVER kept, the compression name written empty', async () => {
  const made = tagged('aifc', ['-c:a', 'pcm_s16le']);
  const list = chunks(made);
  const comm = list.find((c) => c.id === 'COMM')!;
  expect(comm.body.toString('latin1', 18, 22)).toBe('sowt');
  const named = Buffer.concat([
    comm.body.subarray(0, 22),
    Buffer.from([CODEC.length]),
    Buffer.from(CODEC),
  ]);
  const input = withExtraChunks(
    'AIFC',
    form(
      'AIFC',
      list.map((c) => (c === comm ? { id: 'COMM', body: named } : c)),
    ),
  );
  const result = await nativeClean(dirs, input, 'aiff', remuxAiff, planted);
  expect(result.report.removed).toContain('compression name');
  expect(chunks(result.data).map((c) => c.id)).toEqual(['FVER', 'COMM', 'SSND']);
  expectSameAudio(dirs, input, result.data, 'aiff');
});

describe('declined, cleaned by ffmpeg', () => {
  test('a recording cut short: the SSND chunk runs past the end of the file', async () => {
    const whole = withExtraChunks('AIFF', tagged('aiff', []));
    const input = whole.subarray(0, whole.length - 1000);
    await declinedClean(dirs, input, 'aiff', remuxAiff, /^AIFF FORM past the end$/, planted);
  });

  test('a chunk whose size runs past the FORM is declined', () => {
    const input = withExtraChunks('AIFF', tagged('aiff', []));
    input.writeUInt32BE(input.length, input.indexOf('ZZZZ') + 4);
    expect(remuxAiff(input)).toEqual({ ok: false, why: 'AIFF chunk past the end' });
  });

  test('bytes after the FORM', async () => {
    const whole = withExtraChunks('AIFF', tagged('aiff', []));
    const input = Buffer.concat([whole, Buffer.from(TRAILER)]);
    const result = await declinedClean(
      dirs,
      input,
      'aiff',
      remuxAiff,
      /^bytes after the AIFF FORM$/,
      planted,
    );
    expectSameAudio(dirs, whole, result.data, 'aiff');
  });

  test('SSND longer than COMM says', () => {
    const list = chunks(tagged('aiff', []));
    const grown = list.map((c) =>
      c.id === 'SSND' ? { id: 'SSND', body: Buffer.concat([c.body, Buffer.from(TRAILER)]) } : c,
    );
    expect(remuxAiff(form('AIFF', grown))).toEqual({
      ok: false,
      why: 'AIFF SSND longer or shorter than COMM says',
    });
  });
});
