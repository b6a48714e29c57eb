// The file formats Sori knows, by the id the worker routes on, and the MIME type of each. The
// console labels attachments with these; the worker decides by the bytes, never by the label.

export const FORMATS = [
  'jpeg',
  'png',
  'gif',
  'webp',
  'tiff',
  'avif',
  'heic',
  'pdf',
  'docx',
  'xlsx',
  'pptx',
  'odt',
  'ods',
  'odp',
  'mp3',
  'm4a',
  'mp4',
  'mov',
  '3gp',
  'ogg',
  'wav',
  'text',
  // Recognised so they are never taken for text (issue 15); each is cleaned or held back.
  'svg',
  'html',
  'xml',
  'netpbm',
  'code',
] as const;
export type Format = (typeof FORMATS)[number];

export const OOXML = 'application/vnd.openxmlformats-officedocument';
export const ODF = 'application/vnd.oasis.opendocument';

/** The MIME type each format is routed by (sanitisers declare the MIME types they take). */
export const FORMAT_MIME: Record<Format, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  tiff: 'image/tiff',
  avif: 'image/avif',
  heic: 'image/heic',
  pdf: 'application/pdf',
  docx: `${OOXML}.wordprocessingml.document`,
  xlsx: `${OOXML}.spreadsheetml.sheet`,
  pptx: `${OOXML}.presentationml.presentation`,
  odt: `${ODF}.text`,
  ods: `${ODF}.spreadsheet`,
  odp: `${ODF}.presentation`,
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  '3gp': 'video/3gpp',
  ogg: 'audio/ogg',
  wav: 'audio/wav',
  text: 'text/plain',
  svg: 'image/svg+xml',
  html: 'text/html',
  xml: 'application/xml',
  netpbm: 'image/x-portable-anymap',
  code: 'text/x-source-code',
};
