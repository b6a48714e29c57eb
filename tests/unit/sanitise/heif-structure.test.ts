// HEIF files as phones and editors write them carry boxes that are structure, not metadata: a
// zero-filled `free` box (padding left for an in-place edit). It must not hold the photo back.
// A `free` box with bytes in it is another matter: those bytes are blanked.
import { readFileSync } from 'node:fs';
import { sanitiseFile } from '../../../worker/sanitise';
import { heifEncAvailable, makeHeic } from '../../fixtures/make-heic';
import { GAIN_MAP_PLANTED, GAIN_MAP_URN, makeGainMapHeic } from '../../fixtures/make-heic-gainmap';
import { dumpTags, recoverable, sanitiseTestDirs } from '../../fixtures/make-sanitise-context';

const dirs = sanitiseTestDirs();
const withHeifEnc = heifEncAvailable() ? test : test.skip;

const box = (type: string, body: Buffer): Buffer => {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + body.length);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, body]);
};

withHeifEnc('zero-filled free boxes are structure; a free box with bytes is blanked', async () => {
  const fixture = (await makeHeic(dirs.fixtures))!;
  // Appended at the top level, after the media data: no item offset moves.
  const input = Buffer.concat([
    readFileSync(fixture.path),
    box('free', Buffer.alloc(64)),
    box('free', Buffer.from('PLANT-FREE-BOX-TEXT')),
    box('skip', Buffer.alloc(16)),
  ]);
  const result = await sanitiseFile(input, { name: 'a.heic', type: '' }, dirs.ctx);
  if (result.status !== 'clean') throw new Error(JSON.stringify(result));
  const { text } = await dumpTags(result.data, 'heic', dirs.ctx);
  expect(recoverable(result.data, [...fixture.planted, 'PLANT-FREE-BOX-TEXT'], text)).toEqual([]);
});

// iPhone HDR photos: an auxiliary image typed as Apple's HDR gain map, with its own XMP item
// (XMP toolkit, HDRGainMap tags). exiftool `-all=` leaves that item; before the fix the photo
// was held back (VERIFY_FAILED). Now its XMP is blanked and the gain map's pixels are kept.
withHeifEnc(
  'an HDR gain map keeps its pixels and loses its XMP (toolkit, HDRGainMap tags)',
  async () => {
    const input = (await makeGainMapHeic(dirs.fixtures))!;
    const before = await dumpTags(input, 'heic', dirs.ctx);
    expect(before.keys).toEqual(
      expect.arrayContaining(['XMP:XMP-x:XMPToolkit', 'XMP:XMP-HDRGainMap:HDRGainMapVersion']),
    );
    expect(before.text).toContain(GAIN_MAP_URN);
    const result = await sanitiseFile(input, { name: 'a.heic', type: '' }, dirs.ctx);
    if (result.status !== 'clean') throw new Error(JSON.stringify(result));
    const after = await dumpTags(result.data, 'heic', dirs.ctx);
    expect(after.keys.filter((k) => k.startsWith('XMP') || k.includes('Warning'))).toEqual([]);
    expect(recoverable(result.data, GAIN_MAP_PLANTED, after.text)).toEqual([]);
    expect(after.text).toContain(GAIN_MAP_URN); // the auxiliary image is still there, as a gain map
    expect(result.data.length).toBe(input.length); // blanked in place: every offset still holds
    expect(result.report.removed).toContain(
      'XMP of auxiliary images (HDR gain map); the gain map’s pixels kept',
    );
  },
);
