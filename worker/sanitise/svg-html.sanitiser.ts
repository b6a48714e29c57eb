import { DOMParser, type Element, type Node } from '@xmldom/xmldom';
import sharp from 'sharp';
import { sanitiseText } from '../text/sanitise';
import { MAX_IMAGE_PIXELS } from './limits';
import { TEXT_STRUCTURAL } from './text-file.sanitiser';
import type { SanitiseContext, FileSanitiseReport, SanitiseResult, Sanitiser } from './types';
import { verifyClean } from './verify';

// SVG and HTML are programs as much as documents; neither is passed on as markup. An SVG is
// rasterised to PNG; an HTML page becomes its visible text, cleaned like any text file.

/** The longest side of a rasterised SVG: a poster, not a bomb. */
export const MAX_SVG_SIDE = 4096;

export class SvgSanitiser implements Sanitiser {
  readonly formats = ['image/svg+xml'];

  async sanitise(input: Buffer, ctx: SanitiseContext): Promise<SanitiseResult> {
    const report: FileSanitiseReport = { format: 'svg', removed: [], kept: [] };
    let data: Buffer;
    try {
      // 72 DPI: librsvg's unit, so an SVG's own width and height are its pixels. No base path is given, so librsvg resolves no relative file; the jail has no network.
      data = await sharp(input, { density: 72, limitInputPixels: MAX_IMAGE_PIXELS })
        .resize(MAX_SVG_SIDE, MAX_SVG_SIDE, { fit: 'inside', withoutEnlargement: true })
        .png()
        .toBuffer();
    } catch {
      return { status: 'unsanitised', reason: 'TOOL_FAILED', report };
    }
    report.removed.push('SVG markup: metadata, titles, comments, scripts, links (rasterised)');
    report.kept.push('what the drawing shows, rendered to PNG pixels');
    const verdict = await verifyClean(data, 'png', ctx);
    if (!verdict.ok) {
      report.notes = [`left after cleaning: ${verdict.leftover.join(', ')}`];
      return { status: 'unsanitised', reason: 'VERIFY_FAILED', report };
    }
    return { status: 'clean', data, mime: 'image/png', extension: 'png', report };
  }
}

// Elements whose content is never visible text, or is metadata.
const INVISIBLE = new Set([
  'head',
  'script',
  'style',
  'template',
  'noscript',
  'iframe',
  'object',
  'embed',
  'svg',
  'math',
  'meta',
  'link',
  'title',
]);
const BLOCK = /^(p|div|br|li|tr|h[1-6]|section|article|header|footer|blockquote|pre|table|ul|ol)$/;

function visibleText(node: Node, out: string[]): void {
  for (let child = node.firstChild; child !== null; child = child.nextSibling) {
    if (child.nodeType === 3) out.push(child.nodeValue ?? '');
    if (child.nodeType !== 1) continue; // comments, processing instructions: dropped
    const name = (child as Element).localName?.toLowerCase() ?? '';
    if (INVISIBLE.has(name)) continue;
    if (BLOCK.test(name)) out.push('\n');
    visibleText(child, out);
    if (BLOCK.test(name)) out.push('\n');
  }
}

export class HtmlSanitiser implements Sanitiser {
  readonly formats = ['text/html'];

  async sanitise(input: Buffer, ctx: SanitiseContext): Promise<SanitiseResult> {
    const report: FileSanitiseReport = { format: 'html', removed: [], kept: [] };
    let raw: string;
    try {
      const html = new TextDecoder('utf-8', { fatal: true }).decode(input);
      const doc = new DOMParser({ onError: () => undefined }).parseFromString(html, 'text/html');
      const parts: string[] = [];
      visibleText(doc, parts);
      raw = parts.join('');
    } catch {
      return { status: 'unsanitised', reason: 'TOOL_FAILED', report };
    }
    const collapsed = raw
      .split('\n')
      .map((l) => l.replace(/[ \t]+/g, ' ').trim())
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim();
    const { text } = sanitiseText(`${collapsed}\n`);
    const data = Buffer.from(text, 'utf8');
    report.removed.push(
      'HTML markup, head and meta (author, generator), scripts, styles, comments',
    );
    report.kept.push('the visible text, as UTF-8 plain text');
    report.notes = ['safe rendition of the page not produced (text only)'];
    const verdict = await verifyClean(data, 'txt', ctx, TEXT_STRUCTURAL);
    if (!verdict.ok) {
      report.notes.push(`left after cleaning: ${verdict.leftover.join(', ')}`);
      return { status: 'unsanitised', reason: 'VERIFY_FAILED', report };
    }
    return { status: 'clean', data, mime: 'text/plain; charset=utf-8', extension: 'txt', report };
  }
}
