import type { Format } from '../../core/media-types';

// A file that decodes as UTF-8 is not therefore text: markup, ASCII images and source code carry
// metadata of their own, so they are recognised here first, eagerly. See FORMATS.md.

// Leading comments and declarations that may precede the root element.
const PROLOGUE = /^(\s+|<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!doctype[^>]*>)*/i;
const HTML_TAG =
  /<(html|head|body|meta|script|style|link|iframe|object|embed|form|div|span|p|a|img|title|br|table)[\s/>]/i;
const XML_START = /^<[A-Za-z_][\w.:-]*[\s/>]/;
// A comment in the syntax of CSS/JS/C-like code, or its doc-tag, at the start of a line.
const CODE_COMMENT = /(^|\n)\s*(\/\*|\/\/|\*\s*@\w+)/;
// Code lines: a statement or rule shape that prose does not take.
const CODE_LINE =
  /(^|\n)\s*((const|let|var|function|import|export|class|return|if|for|while)\b[^\n]*[({=;]|[#.]?[\w-]+(\s*[,>+~]\s*[#.]?[\w-]+)*\s*\{[^}]*:[^}]*\}?|[\w$.]+\s*=\s*[^\n]*;\s*$|\}\s*;?\s*$)/m;

/** netpbm is recognised from its header before this (detect-format.ts). */
export function textKind(text: string): Format {
  const head = text.slice(0, 64 * 1024).replace(/^\uFEFF/, '');
  if (/^\s*\{\\rtf/.test(head)) return 'code'; // rich text's \info group: never plain text
  const afterPrologue = head.slice(PROLOGUE.exec(head)?.[0].length ?? 0);
  if (/^<svg[\s>]/i.test(afterPrologue) || /<svg[\s>]/i.test(head)) return 'svg';
  if (/^<!doctype\s+html/i.test(head.trimStart()) || HTML_TAG.test(head)) return 'html';
  if (/^\s*<\?xml/i.test(head) || XML_START.test(afterPrologue)) return 'xml';
  if (head.trimStart().startsWith('<!--')) return 'xml';
  if (CODE_COMMENT.test(head) && CODE_LINE.test(head)) return 'code';
  if (/(^|\n)\s*\/\*[\s\S]*?\*\//.test(head)) return 'code';
  return 'text';
}
