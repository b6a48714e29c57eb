import { DOMParser, type Element, type Node } from '@xmldom/xmldom';
import { readZip } from '../office/zip';
import type { HwpContent } from './hwp5';

// HWPX (OWPML): a zip of XML. The paragraphs' text (<hp:p>…<hp:t>) of Contents/section*.xml and
// the pictures in BinData/ are read; Contents/content.hpf (creator, dates, keywords),
// META-INF, settings, the preview and scripts are not.

function elements(node: Node, name: string, out: Element[] = []): Element[] {
  for (let c = node.firstChild; c !== null; c = c.nextSibling) {
    if (c.nodeType !== 1) continue;
    if ((c as Element).localName === name) out.push(c as Element);
    elements(c, name, out);
  }
  return out;
}

export function readHwpx(input: Buffer): HwpContent {
  const entries = readZip(input);
  const content: HwpContent = { paragraphs: [], binData: [], dropped: [] };
  const sections = [...entries.keys()]
    .filter((n) => /^Contents\/section\d+\.xml$/.test(n))
    .sort((a, b) => Number(/(\d+)\.xml$/.exec(a)![1]) - Number(/(\d+)\.xml$/.exec(b)![1]));
  for (const name of sections) {
    const doc = new DOMParser({ onError: () => undefined }).parseFromString(
      Buffer.from(entries.get(name)!).toString('utf8'),
      'text/xml',
    );
    for (const p of elements(doc, 'p')) {
      // Only this paragraph's own runs: nested paragraphs (tables, text boxes) come on their own.
      const own = elements(p, 't').filter((t) => closestParagraph(t) === p);
      content.paragraphs.push(own.map((t) => t.textContent ?? '').join(''));
    }
  }
  for (const [name, data] of entries) {
    if (/^BinData\/[^/]+$/.test(name)) content.binData.push({ name, data: Buffer.from(data) });
    else if (!sections.includes(name) && name !== 'mimetype') {
      content.dropped.push(
        name === 'Contents/content.hpf'
          ? 'package metadata (creator, dates, keywords)'
          : /^Preview\//.test(name)
            ? 'preview text and image'
            : /^Scripts\//.test(name)
              ? 'scripts'
              : 'other parts (settings, header, manifest)',
      );
    }
  }
  content.dropped = [...new Set(content.dropped)].sort();
  return content;
}

function closestParagraph(node: Node): Node | null {
  for (let n = node.parentNode; n !== null; n = n.parentNode) {
    if (n.nodeType === 1 && (n as Element).localName === 'p') return n;
  }
  return null;
}
