import type { Document, Element } from '@xmldom/xmldom';
import type { Tally } from './tally';
import {
  allElements,
  is,
  isAttached,
  parseXml,
  removeAttributes,
  removeNode,
  serialiseXml,
} from './xml';
import type { Entries } from './zip';

// OpenDocument (ODT/ODS/ODP): the same idea as OOXML in another dialect. meta.xml is replaced
// by an empty one, settings.xml (printer name and setup, session ids, view state) is dropped.

const NS = {
  office: ['urn:oasis:names:tc:opendocument:xmlns:office:1.0'],
  text: ['urn:oasis:names:tc:opendocument:xmlns:text:1.0'],
  table: ['urn:oasis:names:tc:opendocument:xmlns:table:1.0'],
  draw: ['urn:oasis:names:tc:opendocument:xmlns:drawing:1.0'],
  svg: ['urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0'],
  xlink: ['http://www.w3.org/1999/xlink'],
  dc: ['http://purl.org/dc/elements/1.1/'],
  meta: ['urn:oasis:names:tc:opendocument:xmlns:meta:1.0'],
  officeooo: ['http://openoffice.org/2009/office'],
  manifest: ['urn:oasis:names:tc:opendocument:xmlns:manifest:1.0'],
} as const;

const KEEP: readonly RegExp[] = [
  /^mimetype$/,
  /^META-INF\/manifest\.xml$/,
  /^(content|styles|meta)\.xml$/,
  /^Object \d+\/(content|styles)\.xml$/, // embedded charts
  /^Pictures\/[^/]+$/,
];

const DROPPED_LABELS: readonly [RegExp, string][] = [
  [/^settings\.xml$/, 'settings (printer name and setup, session ids)'],
  [/^Thumbnails\//, 'thumbnail'],
  [/^META-INF\/documentsignatures\.xml$/, 'digital signatures (signer identity)'],
  [/^Versions\//, 'earlier versions'],
  [/^(Basic|Scripts)\//, 'macros'],
  [/^Object \d+\/meta\.xml$/, 'document properties'],
  [/manifest\.rdf$/, 'RDF metadata'],
];

// Fields whose displayed text is the document's metadata (author, dates, printer, edit time).
const METADATA_FIELDS = [
  'author-name',
  'author-initials',
  'initial-creator',
  'creator',
  'printed-by',
  'print-date',
  'print-time',
  'creation-date',
  'creation-time',
  'modification-date',
  'modification-time',
  'editing-cycles',
  'editing-duration',
  'user-defined',
];

export function cleanOdfPackage(entries: Entries, tally: Tally): void {
  const manifest = parseXml(entries.get('META-INF/manifest.xml') ?? new Uint8Array());
  if (allElements(manifest).some((el) => is(el, NS.manifest, 'encryption-data'))) {
    throw new Error('ODF_ENCRYPTED');
  }
  const labels = new Set<string>();
  for (const name of [...entries.keys()]) {
    if (KEEP.some((re) => re.test(name))) continue;
    entries.delete(name);
    labels.add(DROPPED_LABELS.find(([re]) => re.test(name))?.[1] ?? 'other parts');
  }
  for (const label of labels) tally.add(label);
  for (const el of allElements(manifest)) {
    if (!is(el, NS.manifest, 'file-entry')) continue;
    const path = el.getAttributeNS(NS.manifest[0], 'full-path') ?? '';
    const present = path === '/' || entries.has(path) || hasFolder(entries, path);
    if (!present) removeNode(el);
  }
  entries.set('META-INF/manifest.xml', serialiseXml(manifest));
  const meta = entries.get('meta.xml');
  if (meta !== undefined && !Buffer.from(meta).equals(EMPTY_META)) {
    tally.add('document properties (author, dates, generator, statistics)');
    entries.set('meta.xml', EMPTY_META);
  }
  for (const name of [...entries.keys()]) {
    if (!/(^|\/)(content|styles)\.xml$/.test(name)) continue;
    const doc = parseXml(entries.get(name)!);
    cleanOdfXml(doc, tally);
    entries.set(name, serialiseXml(doc));
  }
}

function hasFolder(entries: Entries, path: string): boolean {
  return path.endsWith('/') && [...entries.keys()].some((n) => n.startsWith(path));
}

const EMPTY_META = Buffer.from(
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<office:document-meta xmlns:office="${NS.office[0]}" office:version="1.2">` +
    '<office:meta/></office:document-meta>',
);

export function cleanOdfXml(doc: Document, tally: Tally): void {
  let frames = 0;
  let renamed = 0;
  for (const el of allElements(doc)) {
    if (!isAttached(el)) continue;
    if (is(el, NS.office, 'annotation', 'annotation-end')) {
      if (el.localName === 'annotation') tally.add('comments');
      removeNode(el);
    } else if (is(el, NS.text, 'tracked-changes') || is(el, NS.table, 'tracked-changes')) {
      // Removing the change log accepts every change: the body already shows the result, the
      // log holds deleted text and who changed what when.
      tally.add(
        'tracked changes accepted',
        el.getElementsByTagNameNS('*', 'changed-region').length,
      );
      removeNode(el);
    } else if (is(el, NS.text, 'change', 'change-start', 'change-end')) {
      removeNode(el);
    } else if (is(el, NS.text, ...METADATA_FIELDS)) {
      tally.add('fields showing document metadata');
      removeNode(el);
    } else if (is(el, NS.svg, 'title', 'desc')) {
      tally.add('alt text');
      removeNode(el);
    } else if (is(el, NS.office, 'scripts', 'event-listeners')) {
      tally.add('scripts and event handlers');
      removeNode(el);
    } else if (is(el, NS.dc, 'creator', 'date') || el.namespaceURI === NS.meta[0]) {
      tally.add('author and date records');
      removeNode(el);
    } else if (is(el, NS.office, 'binary-data')) {
      // Base64 images inline in the XML would bypass the image sanitiser.
      tally.add('inline binary data');
      removeNode(el);
    } else if (isExternalLink(el)) {
      tally.add('links to external files');
      removeNode(el);
    } else {
      tally.add(
        'revision session ids',
        removeAttributes(el, NS.officeooo, (n) => n.endsWith('rsid')),
      );
      const name = is(el, NS.draw, 'frame') ? el.getAttributeNodeNS(NS.draw[0], 'name') : null;
      const generic = name ? `Frame ${++frames}` : '';
      if (name && name.value !== generic) {
        name.value = name.nodeValue = generic;
        renamed++;
      }
    }
  }
  tally.add('object names', renamed);
}

// An image or object linked (not embedded) names a path on the author's machine.
function isExternalLink(el: Element): boolean {
  if (!is(el, NS.draw, 'image', 'object', 'object-ole')) return false;
  const href = el.getAttributeNS(NS.xlink[0], 'href') ?? '';
  return /^([a-z][a-z0-9+.-]*:|\/)/i.test(href);
}
