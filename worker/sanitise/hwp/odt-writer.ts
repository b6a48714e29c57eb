import { strToU8, zipSync, type Zippable } from 'fflate';

// A plain ODT holding paragraphs and pictures, nothing else: what the HWP/HWPX readers rebuild
// a document into. It then goes through the ODF cleaner and its verification like any ODT a
// source sends, so the rebuilt file is held to the same standard.

export interface Picture {
  data: Buffer;
  ext: 'jpg' | 'png' | 'gif';
  mime: string;
  width: number;
  height: number;
}

const NS = 'urn:oasis:names:tc:opendocument:xmlns';
const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function writeOdt(paragraphs: string[], pictures: Picture[]): Buffer {
  const body: string[] = paragraphs.map((p) => `<text:p>${esc(p)}</text:p>`);
  const manifest = [
    '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>',
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>',
  ];
  const files: Zippable = {
    mimetype: [strToU8('application/vnd.oasis.opendocument.text'), { level: 0 }],
  };
  pictures.forEach((pic, i) => {
    const name = `Pictures/image${i + 1}.${pic.ext}`;
    files[name] = pic.data;
    manifest.push(
      `<manifest:file-entry manifest:full-path="${name}" manifest:media-type="${pic.mime}"/>`,
    );
    // 96 pixels to the inch, at most 16 cm wide.
    const scale = Math.min(1, 16 / ((pic.width / 96) * 2.54));
    const w = ((pic.width / 96) * 2.54 * scale).toFixed(2);
    const h = ((pic.height / 96) * 2.54 * scale).toFixed(2);
    body.push(
      `<text:p><draw:frame text:anchor-type="as-char" svg:width="${w}cm" svg:height="${h}cm">` +
        `<draw:image xlink:href="${name}" xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad"/>` +
        '</draw:frame></text:p>',
    );
  });
  files['content.xml'] = strToU8(
    '<?xml version="1.0" encoding="UTF-8"?>' +
      `<office:document-content xmlns:office="${NS}:office:1.0" xmlns:text="${NS}:text:1.0" ` +
      `xmlns:draw="${NS}:drawing:1.0" xmlns:svg="${NS}:svg-compatible:1.0" ` +
      'xmlns:xlink="http://www.w3.org/1999/xlink" office:version="1.2">' +
      `<office:body><office:text>${body.join('')}</office:text></office:body></office:document-content>`,
  );
  files['META-INF/manifest.xml'] = strToU8(
    '<?xml version="1.0" encoding="UTF-8"?>' +
      `<manifest:manifest xmlns:manifest="${NS}:manifest:1.0" manifest:version="1.2">` +
      `${manifest.join('')}</manifest:manifest>`,
  );
  return Buffer.from(zipSync(files));
}
