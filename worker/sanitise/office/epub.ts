import type { Document, Element, Node } from '@xmldom/xmldom';
import { FORMAT_MIME } from '../detect-format';
import type { SanitiseContext, FileSanitiseReport, SanitiseResult, Sanitiser } from '../types';
import type { EmbeddedCleaner } from './office.sanitiser';
import { Tally } from './tally';
import { allElements, parseXml, removeNode, serialiseXml } from './xml';
import { readZip, writeZip, type Entries } from './zip';

// EPUB, rebuilt from an allowlist of its parts: package metadata replaced by fixed required
// fields; scripts, meta, comments and fonts gone; encryption.xml held back. See FORMATS.md.

const CONTENT = /\.(x?html?|xml|opf|ncx)$/i;
const PICTURE = /\.(jpe?g|png|gif|webp)$/i;
const FIXED_ID = 'urn:uuid:00000000-0000-4000-8000-000000000000';

/** A DOCTYPE without an internal subset (XHTML's) is dropped; one with a subset is refused. */
function parseMarkup(bytes: Uint8Array): Document {
  const text = Buffer.from(bytes).toString('utf8');
  const stripped = text.replace(/<!DOCTYPE\s+html(\s+PUBLIC\s+"[^"]*"\s+"[^"]*")?\s*>/i, '');
  return parseXml(Buffer.from(stripped, 'utf8'));
}

function cleanOpf(doc: Document, tally: Tally): void {
  for (const metadata of allElements(doc).filter((e) => e.localName === 'metadata')) {
    const lang =
      allElements(metadata).find((e) => e.localName === 'language')?.textContent ?? 'und';
    while (metadata.firstChild) metadata.removeChild(metadata.firstChild);
    const dc = 'http://purl.org/dc/elements/1.1/';
    const add = (ns: string | null, name: string, text: string, attrs: [string, string][] = []) => {
      const el = doc.createElementNS(ns, name);
      for (const [k, v] of attrs) el.setAttribute(k, v);
      el.appendChild(doc.createTextNode(text));
      metadata.appendChild(el);
    };
    add(dc, 'dc:identifier', FIXED_ID, [['id', 'uid']]);
    add(dc, 'dc:title', 'Untitled');
    add(dc, 'dc:language', lang.replace(/[^A-Za-z-]/g, '').slice(0, 16) || 'und');
    add(metadata.namespaceURI, 'meta', '2000-01-01T00:00:00Z', [['property', 'dcterms:modified']]);
    tally.add('package metadata (creator, dates, publisher, identifiers)');
  }
  const pkg = doc.documentElement;
  if (pkg?.getAttribute('unique-identifier')) pkg.setAttribute('unique-identifier', 'uid');
}

function cleanMarkup(doc: Document, tally: Tally, isOpf: boolean): void {
  const walk = (n: Node): void => {
    for (let c = n.firstChild; c;) {
      const next = c.nextSibling;
      if (c.nodeType === 8 || (c.nodeType === 7 && c.nodeName !== 'xml')) {
        removeNode(c);
        tally.add('comments and processing instructions');
      } else if (c.nodeType === 1) walk(c);
      c = next;
    }
  };
  walk(doc);
  for (const el of allElements(doc)) {
    const name = el.localName?.toLowerCase() ?? '';
    // The package document's <meta> were rebuilt by cleanOpf (dcterms:modified is required).
    if ((name === 'meta' && !isOpf) || name === 'script') {
      removeNode(el);
      tally.add(name === 'meta' ? 'meta elements' : 'scripts');
      continue;
    }
    if (name === 'doctitle' || name === 'docauthor') removeNode(el); // NCX
    for (const attr of Array.from(el.attributes)) {
      if (/^on/i.test(attr.name)) {
        el.removeAttribute(attr.name);
        tally.add('event handlers');
      }
    }
  }
}

function cleanPackage(entries: Entries, tally: Tally): void {
  if (entries.has('META-INF/encryption.xml') || entries.has('META-INF/rights.xml'))
    throw new Error('EPUB_ENCRYPTED');
  const dropped: string[] = [];
  for (const name of [...entries.keys()]) {
    const keep =
      name === 'mimetype' ||
      name === 'META-INF/container.xml' ||
      (!name.startsWith('META-INF/') &&
        (CONTENT.test(name) || PICTURE.test(name) || /\.css$/i.test(name)));
    if (!keep) {
      entries.delete(name);
      dropped.push(name);
    }
  }
  if (dropped.length > 0) tally.add('fonts, signatures and other parts');
  for (const [name, bytes] of entries) {
    if (/\.css$/i.test(name)) {
      const css = Buffer.from(bytes).toString('utf8');
      const clean = css.replace(/\/\*[\s\S]*?\*\//g, '');
      if (clean !== css) tally.add('stylesheet comments');
      entries.set(name, Buffer.from(clean, 'utf8'));
    } else if (CONTENT.test(name)) {
      const doc = parseMarkup(bytes);
      if (/\.opf$/i.test(name)) {
        cleanOpf(doc, tally);
        // Manifest items whose file is gone go too (and their spine entries).
        for (const item of allElements(doc).filter((e) => e.localName === 'item')) {
          const base = name.includes('/') ? name.slice(0, name.lastIndexOf('/') + 1) : '';
          if (!entries.has(base + (item.getAttribute('href') ?? ''))) removeNode(item as Element);
        }
      }
      cleanMarkup(doc, tally, /\.opf$/i.test(name));
      entries.set(name, serialiseXml(doc));
    }
  }
}

export class EpubSanitiser implements Sanitiser {
  readonly formats = [FORMAT_MIME.epub];

  constructor(private readonly cleanEmbedded: EmbeddedCleaner) {}

  async sanitise(input: Buffer, ctx: SanitiseContext): Promise<SanitiseResult> {
    const report: FileSanitiseReport = { format: 'epub', removed: [], kept: [] };
    try {
      const entries = readZip(input);
      const tally = new Tally();
      cleanPackage(entries, tally);
      let pictures = 0;
      for (const [name, bytes] of entries) {
        if (!PICTURE.test(name)) continue;
        const result = await this.cleanEmbedded(Buffer.from(bytes), ctx);
        if (result.status !== 'clean')
          return { status: 'unsanitised', reason: 'EMBEDDED_MEDIA_UNSANITISED', report };
        entries.set(name, result.data);
        pictures++;
      }
      const data = writeZip(entries, ['mimetype'], ['mimetype']);
      report.removed = tally.list();
      report.kept = ['text, structure and styles', `pictures, each cleaned (${pictures})`];
      // Cleaning the output again must find nothing more (the office cleaner's second pass).
      const again = new Tally();
      cleanPackage(readZip(data), again);
      const left = again.list().filter((l) => !l.startsWith('package metadata'));
      if (left.length > 0) {
        report.notes = [`left after cleaning: ${left.join(', ')}`];
        return { status: 'unsanitised', reason: 'VERIFY_FAILED', report };
      }
      return { status: 'clean', data, mime: FORMAT_MIME.epub, extension: 'epub', report };
    } catch (err) {
      const reason =
        err instanceof Error && err.message === 'EPUB_ENCRYPTED' ? 'ENCRYPTED' : 'TOOL_FAILED';
      return { status: 'unsanitised', reason, report };
    }
  }
}
