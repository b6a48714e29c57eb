import { posix } from 'node:path';
import type { Tally } from './tally';
import { allElements, parseXml, removeNode, serialiseXml } from './xml';
import type { Entries } from './zip';

// The OOXML package level: which parts survive (an allowlist — a part we do not know is a part
// we cannot vouch for), and the relationships and content types that must follow.

const KEEP: readonly RegExp[] = [
  /^\[Content_Types\]\.xml$/,
  /^_rels\/\.rels$/,
  /^word\/(document|styles|stylesWithEffects|numbering|fontTable|settings|webSettings)\.xml$/,
  /^word\/(footnotes|endnotes|header\d+|footer\d+)\.xml$/,
  /^xl\/(workbook|styles|sharedStrings|calcChain)\.xml$/,
  /^xl\/(worksheets\/sheet|drawings\/drawing|tables\/table)\d+\.xml$/,
  /^ppt\/(presentation|presProps|viewProps|tableStyles)\.xml$/,
  /^ppt\/(slides|slideLayouts|slideMasters|notesSlides|notesMasters|handoutMasters)\/[a-zA-Z]+\d+\.xml$/,
  /^(word|xl|ppt)\/theme\/theme\d+\.xml$/,
  /^(word|xl|ppt)\/charts\/(chart|colors|style)\d+\.xml$/,
  /^(word|xl|ppt)\/diagrams\/(data|layout|quickStyle|colors|drawing)\d+\.xml$/,
  /^(word|xl|ppt)\/media\/[^/]+$/,
];

/** Labels for what is dropped, so the report can say what it was without quoting it. */
const DROPPED_LABELS: readonly [RegExp, string][] = [
  [/^docProps\/(core|app)\.xml$/, 'document properties (author, dates, company, template)'],
  [/^docProps\/custom\.xml$/, 'custom document properties'],
  [/^docProps\/thumbnail\.|\/thumbnail\.[a-z]+$/i, 'thumbnail'],
  [/comments|commentAuthors|threadedComments/i, 'comments'],
  [/people\.xml$|persons\/|authors\.xml$/, 'list of people who edited or commented'],
  [/^customXml\//, 'custom XML data'],
  [/printerSettings/, 'printer settings'],
  [/\/fonts\//, 'embedded fonts'],
  [/\/embeddings\/|activeX|oleObject/, 'embedded objects'],
  [/vbaProject|vbaData/, 'macros'],
  [/externalLinks\//, 'links to other files'],
  [/revisionInfo|changesInfos|revisions\//, 'revision history'],
];

const PKG_RELS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const CT = 'http://schemas.openxmlformats.org/package/2006/content-types';

export function isKeptPart(name: string): boolean {
  if (KEEP.some((re) => re.test(name))) return true;
  // A part's relationships survive with the part itself.
  const m = /^(.*?)_rels\/([^/]+)\.rels$/.exec(name);
  return m !== null && m[1] !== '' && isKeptPart(`${m[1]}${m[2]}`);
}

/** Drops every part outside the allowlist; returns nothing, reports by category. */
export function dropParts(entries: Entries, tally: Tally): void {
  const labels = new Set<string>();
  for (const name of [...entries.keys()]) {
    if (isKeptPart(name)) continue;
    entries.delete(name);
    if (name.endsWith('.rels')) continue;
    labels.add(DROPPED_LABELS.find(([re]) => re.test(name))?.[1] ?? 'other parts');
  }
  for (const label of labels) tally.add(label);
}

function sourceOf(relsName: string): string {
  const m = /^(.*?)_rels\/([^/]+)\.rels$/.exec(relsName);
  return m ? `${m[1]}${m[2]}` : '';
}

/**
 * Prunes relationships to dropped parts, and external ones other than hyperlinks (an attached
 * template or linked file names a path on the author's machine). Returns, per source part, the
 * relationship ids that went, so the markup referring to them can go too.
 */
export function pruneRelationships(entries: Entries, tally: Tally): Map<string, Set<string>> {
  const pruned = new Map<string, Set<string>>();
  for (const [name, bytes] of entries) {
    if (!name.endsWith('.rels')) continue;
    const source = sourceOf(name);
    const doc = parseXml(bytes);
    const gone = new Set<string>();
    for (const rel of allElements(doc)) {
      if (rel.namespaceURI !== PKG_RELS || rel.localName !== 'Relationship') continue;
      const target = rel.getAttribute('Target') ?? '';
      const type = rel.getAttribute('Type') ?? '';
      const keep =
        rel.getAttribute('TargetMode') === 'External'
          ? type.endsWith('/hyperlink')
          : entries.has(resolveTarget(source, target));
      if (keep) continue;
      if (rel.getAttribute('TargetMode') === 'External') tally.add('links to external files');
      gone.add(rel.getAttribute('Id') ?? '');
      removeNode(rel);
    }
    if (gone.size > 0) {
      pruned.set(source, gone);
      entries.set(name, serialiseXml(doc));
    }
  }
  return pruned;
}

function resolveTarget(source: string, target: string): string {
  const path = decodeURI(target.split('#')[0] ?? '');
  if (path.startsWith('/')) return posix.normalize(path).slice(1);
  return posix.normalize(posix.join(posix.dirname(source), path));
}

/** Removes content-type overrides for parts that are gone. */
export function fixContentTypes(entries: Entries): void {
  const name = '[Content_Types].xml';
  const doc = parseXml(entries.get(name)!);
  for (const el of allElements(doc)) {
    if (el.namespaceURI !== CT || el.localName !== 'Override') continue;
    const part = (el.getAttribute('PartName') ?? '').replace(/^\//, '');
    if (!entries.has(part)) removeNode(el);
  }
  entries.set(name, serialiseXml(doc));
}
