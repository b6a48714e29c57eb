import { unzipSync } from 'fflate';
import type { Element } from '@xmldom/xmldom';
import { allElements, parseXml } from '../office/xml';

// An OpenDocument file (and HWP/HWPX, rebuilt as ODT) as plain HTML for mupdf to draw: the
// *cleaned* copy's paragraphs and headings in order (inside tables, frames and slides too) and
// its pictures. Why mupdf needs this and layout is dropped: ../FORMATS.md.

const TEXT_NS = 'urn:oasis:names:tc:opendocument:xmlns:text:1.0';
const DRAW_NS = 'urn:oasis:names:tc:opendocument:xmlns:drawing:1.0';
const XLINK_NS = 'http://www.w3.org/1999/xlink';

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const PICTURE_TYPES: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
};

/** A paragraph's text: text nodes, with text:s/tab/line-break as spaces and breaks. */
function paragraphText(p: Element): string {
  let out = '';
  const walk = (n: Element): void => {
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (c.nodeType === 3) out += c.nodeValue ?? '';
      else if (c.nodeType === 1) {
        const el = c as Element;
        if (el.namespaceURI === TEXT_NS && el.localName === 'line-break') out += '\n';
        else if (el.namespaceURI === TEXT_NS && ['s', 'tab'].includes(el.localName ?? ''))
          out += ' ';
        else if (!(el.namespaceURI === TEXT_NS && el.localName === 'note')) walk(el);
      }
    }
  };
  walk(p);
  return out;
}

export function odfToHtml(odf: Buffer): Buffer {
  const parts = unzipSync(odf, {
    filter: (f) => f.name === 'content.xml' || f.name.startsWith('Pictures/'),
  });
  const content = parts['content.xml'];
  if (!content) throw new Error('ODF_NO_CONTENT');
  const body: string[] = [];
  for (const el of allElements(parseXml(content))) {
    if (el.namespaceURI === TEXT_NS && (el.localName === 'p' || el.localName === 'h')) {
      const tag = el.localName === 'h' ? 'h2' : 'p';
      const text = paragraphText(el);
      if (text.trim() !== '') body.push(`<${tag}>${esc(text).replace(/\n/g, '<br/>')}</${tag}>`);
    } else if (el.namespaceURI === DRAW_NS && el.localName === 'image') {
      const href = el.getAttributeNS(XLINK_NS, 'href') ?? '';
      const data = parts[href];
      const type = PICTURE_TYPES[href.split('.').pop()?.toLowerCase() ?? ''];
      if (data && type)
        body.push(
          `<p><img style="max-width:100%" src="data:${type};base64,${Buffer.from(data).toString('base64')}"/></p>`,
        );
    }
  }
  return Buffer.from(`<html><body>${body.join('\n')}</body></html>`, 'utf8');
}
