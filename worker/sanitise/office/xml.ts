import {
  DOMParser,
  onWarningStopParsing,
  XMLSerializer,
  type Document,
  type Element,
  type Node,
} from '@xmldom/xmldom';

// A real XML parser, not regular expressions: the cleaner removes and unwraps elements by
// namespace and local name, which prefixes (chosen by whoever wrote the file) cannot fool.

export function parseXml(bytes: Uint8Array): Document {
  const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  // Office formats never need a DTD; refusing one rules out entity tricks outright.
  if (/<!DOCTYPE/i.test(text)) throw new Error('XML_DOCTYPE');
  return new DOMParser({ onError: onWarningStopParsing }).parseFromString(text, 'text/xml');
}

export function serialiseXml(doc: Document): Uint8Array {
  return new TextEncoder().encode(new XMLSerializer().serializeToString(doc));
}

/** Every element under `root` (document order), as a snapshot safe to mutate while iterating. */
export function allElements(root: Node): Element[] {
  const out: Element[] = [];
  const walk = (n: Node): void => {
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (c.nodeType === 1) {
        out.push(c as Element);
        walk(c);
      }
    }
  };
  walk(root);
  return out;
}

export const is = (el: Element, ns: readonly string[], ...names: string[]): boolean =>
  ns.includes(el.namespaceURI ?? '') && names.includes(el.localName ?? '');

export function isAttached(el: Node): boolean {
  let n: Node | null = el;
  while (n && n.nodeType !== 9) n = n.parentNode;
  return n !== null;
}

export function removeNode(el: Node): void {
  el.parentNode?.removeChild(el);
}

/** Replaces an element by its children (accepting an insertion keeps what it inserted). */
export function unwrap(el: Element): void {
  const parent = el.parentNode;
  if (!parent) return;
  while (el.firstChild) parent.insertBefore(el.firstChild, el);
  parent.removeChild(el);
}

/** Removes attributes matching (namespace, local-name predicate); returns how many went. */
export function removeAttributes(
  el: Element,
  ns: readonly string[],
  match: (localName: string) => boolean,
): number {
  let n = 0;
  for (const attr of Array.from(el.attributes)) {
    if (ns.includes(attr.namespaceURI ?? '') && match(attr.localName ?? '')) {
      el.removeAttributeNode(attr);
      n++;
    }
  }
  return n;
}
