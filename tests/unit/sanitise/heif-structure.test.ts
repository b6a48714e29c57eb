// HEIF files as phones and editors write them carry boxes that are structure, not metadata: a
// zero-filled `free` box (padding left for an in-place edit). It must not hold the photo back.
// A `free` box with bytes in it is another matter: those bytes are blanked.
import { readFileSync } from 'node:fs';
import { sanitiseFile } from '../../../worker/sanitise';
import { heifEncAvailable, makeHeic } from '../../fixtures/make-heic';
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
