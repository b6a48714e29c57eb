// The worker keeps one exiftool process for every file. A call that loads an option into that
// process (exiftool-vendored's default `-use MWG` on write) must not change how the next file is
// read: each order below, HEIC first among them, must clean every fixture.
import { readFileSync } from 'node:fs';
import { sanitiseFile } from '../../../worker/sanitise';
import { heifEncAvailable, makeHeic } from '../../fixtures/make-heic';
import { makeJpeg, makeOther, makePng } from '../../fixtures/make-image';
import { makePdf } from '../../fixtures/make-pdf';
import { dumpTags, recoverable, sanitiseTestDirs } from '../../fixtures/make-sanitise-context';

const dirs = sanitiseTestDirs();
const withHeifEnc = heifEncAvailable() ? test : test.skip;
if (!heifEncAvailable()) console.warn('exiftool-state skipped: install libheif-examples');

withHeifEnc(
  'every order of formats, HEIC first included, comes out clean',
  async () => {
    const heic = (await makeHeic(dirs.fixtures))!;
    const fixtures = {
      heic: { ...heic, ext: 'heic' },
      tiff: { ...(await makeOther(dirs.fixtures, 'tiff')), ext: 'tiff' },
      jpeg: { ...(await makeJpeg(dirs.fixtures)), ext: 'jpg' },
      png: { ...(await makePng(dirs.fixtures)), ext: 'png' },
      webp: { ...(await makeOther(dirs.fixtures, 'webp')), ext: 'webp' },
      pdf: { ...(await makePdf(dirs.fixtures)), ext: 'pdf' },
    };
    type Name = keyof typeof fixtures;
    const orders: Name[][] = [
      ['heic', 'tiff', 'jpeg', 'png', 'webp', 'pdf'],
      ['tiff', 'heic', 'tiff', 'pdf', 'heic', 'jpeg'],
      ['pdf', 'webp', 'png', 'jpeg', 'tiff', 'heic'],
    ];
    for (const order of orders) {
      for (const name of order) {
        const f = fixtures[name];
        const result = await sanitiseFile(
          readFileSync(f.path),
          { name: `a.${f.ext}`, type: '' },
          dirs.ctx,
        );
        expect({
          order,
          name,
          status: result.status,
          reason: result.status === 'unsanitised' ? result.reason : '',
          notes: result.report.notes ?? [],
        }).toEqual({ order, name, status: 'clean', reason: '', notes: [] });
        if (result.status !== 'clean') continue;
        const { text } = await dumpTags(result.data, f.ext, dirs.ctx);
        expect(recoverable(result.data, f.planted, text)).toEqual([]);
        // Nothing derived by a module an earlier call loaded.
        expect(text).not.toContain('Composite:MWG');
      }
    }
  },
  120_000,
);
