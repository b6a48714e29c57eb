import type { Document, Element } from '@xmldom/xmldom';
import type { Tally } from './tally';
import { allElements, is, isAttached, removeAttributes, removeNode, unwrap } from './xml';

// Inside the kept OOXML parts: comments' anchors, tracked changes (accepted), revision session
// ids, alt text and object names, identifiers Word and Excel stamp on a document, and markup
// pointing at relationships that were pruned.

const W = [
  'http://schemas.openxmlformats.org/wordprocessingml/2006/main',
  'http://purl.oclc.org/ooxml/wordprocessingml/main',
];
const R = [
  'http://schemas.openxmlformats.org/officeDocument/2006/relationships',
  'http://purl.oclc.org/ooxml/officeDocument/relationships',
];
const W14 = ['http://schemas.microsoft.com/office/word/2010/wordml'];
const W15 = ['http://schemas.microsoft.com/office/word/2012/wordml'];
const V = ['urn:schemas-microsoft-com:vml'];
const O = ['urn:schemas-microsoft-com:office:office'];
const X15AC = ['http://schemas.microsoft.com/office/spreadsheetml/2010/11/ac'];
const XR = [
  'http://schemas.microsoft.com/office/spreadsheetml/2014/revision',
  'http://schemas.microsoft.com/office/spreadsheetml/2015/revision2',
  'http://schemas.microsoft.com/office/spreadsheetml/2016/revision3',
];
const SML = ['http://schemas.openxmlformats.org/spreadsheetml/2006/main'];
const P14 = ['http://schemas.microsoft.com/office/powerpoint/2010/main'];
const NO_NS = [''];

const COMMENT_ANCHORS = ['commentRangeStart', 'commentRangeEnd', 'commentReference'];
// Removing these accepts the change: deleted and moved-away text goes, and so do the records of
// formatting before a change (which name its author and date).
const REJECTED_CONTENT = ['del', 'moveFrom', 'moveFromRangeStart', 'moveFromRangeEnd'];
const CHANGE_RECORDS = [
  'rPrChange',
  'pPrChange',
  'sectPrChange',
  'tblPrChange',
  'tblPrExChange',
  'trPrChange',
  'tcPrChange',
  'tblGridChange',
  'numberingChange',
  'cellIns',
  'cellDel',
  'cellMerge',
  'moveToRangeStart',
  'moveToRangeEnd',
  'customXmlInsRangeStart',
  'customXmlInsRangeEnd',
  'customXmlDelRangeStart',
  'customXmlDelRangeEnd',
  'customXmlMoveFromRangeStart',
  'customXmlMoveFromRangeEnd',
  'customXmlMoveToRangeStart',
  'customXmlMoveToRangeEnd',
];
// Settings that name the author's machine or identify the document across copies.
const WORD_SETTINGS = ['rsids', 'attachedTemplate', 'docVars', 'mailMerge', 'trackRevisions'];
// Keep the element and drop only the pruned reference: the element means something without it.
const KEEP_ELEMENT_ON_PRUNE = ['blip', 'pageSetup', 'imagedata'];

export function cleanOoxmlPart(doc: Document, prunedIds: Set<string>, tally: Tally): void {
  for (const el of allElements(doc)) {
    if (!isAttached(el)) continue; // inside something already removed
    cleanElement(el, prunedIds, tally);
  }
}

function cleanElement(el: Element, pruned: Set<string>, tally: Tally): void {
  if (is(el, W, ...COMMENT_ANCHORS)) {
    if (el.localName === 'commentReference') tally.add('comment anchors');
    return removeNode(el);
  }
  if (is(el, W, 'del') && el.parentNode && is(el.parentNode as Element, W, 'trPr')) {
    tally.add('tracked deletions accepted');
    return removeNode(el.parentNode.parentNode ?? el); // a deleted table row goes whole
  }
  if (is(el, W, ...REJECTED_CONTENT)) {
    tally.add('tracked deletions accepted');
    return removeNode(el);
  }
  if (is(el, W, 'ins', 'moveTo')) {
    tally.add('tracked insertions accepted');
    return unwrap(el);
  }
  if (is(el, W, ...CHANGE_RECORDS)) {
    tally.add('tracked formatting changes accepted');
    return removeNode(el);
  }
  if (is(el, W, ...WORD_SETTINGS) || is(el, W14, 'docId') || is(el, W15, 'docId')) {
    tally.add(
      el.localName === 'rsids' ? 'revision session ids' : `document setting ${el.localName}`,
    );
    return removeNode(el);
  }
  if (is(el, X15AC, 'absPath') || is(el, XR, 'revisionPtr') || is(el, P14, 'creationId')) {
    tally.add(el.localName === 'absPath' ? 'file path the workbook was saved at' : 'document ids');
    return removeNode(el);
  }
  tally.add(
    'revision session ids',
    removeAttributes(el, W, (n) => n.startsWith('rsid')),
  );
  tally.add(
    'paragraph ids',
    removeAttributes(el, W14, (n) => n === 'paraId' || n === 'textId'),
  );
  tally.add(
    'object ids',
    removeAttributes(el, XR, (n) => n === 'uid'),
  );
  if (is(el, SML, 'fileSharing')) {
    tally.add(
      'user name',
      removeAttributes(el, NO_NS, (n) => n === 'userName'),
    );
  }
  if (el.localName === 'docPr' || el.localName === 'cNvPr') cleanAltText(el, tally);
  if (is(el, V, 'imagedata'))
    tally.add(
      'alt text',
      removeAttributes(el, O, (n) => n === 'title'),
    );
  if (is(el, V, 'shape'))
    tally.add(
      'alt text',
      removeAttributes(el, NO_NS, (n) => n === 'alt'),
    );
  const refs = Array.from(el.attributes).filter((a) => R.includes(a.namespaceURI ?? ''));
  for (const ref of refs.filter((a) => pruned.has(a.value))) {
    if (KEEP_ELEMENT_ON_PRUNE.includes(el.localName ?? '')) el.removeAttributeNode(ref);
    else return removeNode(el);
  }
}

// Alt text and object names: Word fills them with the inserted file's name or full path.
function cleanAltText(el: Element, tally: Tally): void {
  tally.add(
    'alt text',
    removeAttributes(el, NO_NS, (n) => n === 'descr' || n === 'title'),
  );
  const name = el.getAttribute('name');
  const generic = `Object ${el.getAttribute('id') ?? ''}`.trim();
  if (name !== null && name !== generic) {
    el.setAttribute('name', generic);
    tally.add('object names');
  }
}
