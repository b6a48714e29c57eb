import busboy from 'busboy';
import type { Request } from 'express';
import { AppError, badRequest, payloadTooLarge, unsupportedMediaType } from '../../core/errors';

// The no-JS form, read with busboy as it streams in. Plaintext exists only in these buffers:
// it is never written anywhere, and a refused form is drained and dropped, never kept.

export interface FormFile {
  name: string;
  type: string;
  data: Buffer;
}

export interface ParsedForm {
  fields: Map<string, string[]>;
  files: FormFile[];
}

export interface FormLimits {
  /** Any one field, the testimony text included. */
  maxFieldBytes: number;
  /** All files together, in memory at once (the JS path is for anything larger). */
  maxFileBytes: number;
  maxFiles: number;
  maxFields: number;
}

/** Files already refused: pointless to read gigabytes just to answer 413. */
const DRAIN_SLACK_BYTES = 1024 * 1024;

export const formErrors = {
  tooManyFiles: () => payloadTooLarge('TOO_MANY_FILES', 'Too many files'),
  filesTooLarge: () => payloadTooLarge('FILES_TOO_LARGE', 'Files are too large for this form'),
  textTooLarge: () => payloadTooLarge('TEXT_TOO_LARGE', 'A field is too large'),
  tooManyFields: () => payloadTooLarge('TOO_MANY_FIELDS', 'Too many fields'),
  malformed: () => badRequest('MALFORMED_FORM', 'The form could not be read'),
  mediaType: () => unsupportedMediaType('UNSUPPORTED_MEDIA_TYPE', 'Expected multipart/form-data'),
};

/** A body that announces more than the form can ever accept is refused before it is read. */
export function declaredTooLarge(req: Request, limits: FormLimits): boolean {
  const declared = Number(req.headers['content-length'] ?? 0);
  const most = limits.maxFileBytes + limits.maxFieldBytes * 2 + DRAIN_SLACK_BYTES;
  return Number.isFinite(declared) && declared > most;
}

export function readMultipart(req: Request, limits: FormLimits): Promise<ParsedForm> {
  return new Promise((resolve, reject) => {
    if (!/^multipart\/form-data\b/i.test(req.headers['content-type'] ?? '')) {
      req.resume();
      reject(formErrors.mediaType());
      return;
    }
    let bb: busboy.Busboy;
    try {
      bb = busboy({
        headers: req.headers,
        defParamCharset: 'utf8', // browsers send file names as raw UTF-8
        limits: {
          fieldSize: limits.maxFieldBytes,
          fileSize: limits.maxFileBytes,
          files: limits.maxFiles,
          fields: limits.maxFields,
          parts: limits.maxFields + limits.maxFiles,
          fieldNameSize: 100,
        },
      });
    } catch {
      req.resume();
      reject(formErrors.malformed()); // no boundary, or not a multipart type busboy knows
      return;
    }
    const form: ParsedForm = { fields: new Map(), files: [] };
    let failure: AppError | null = null;
    let fileBytes = 0;
    // Fields count against the body too: a chunked body announces no length, and hundreds of
    // fields at the per-field cap would otherwise all be held in memory.
    let fieldBytes = 0;
    const fail = (err: AppError): void => {
      failure ??= err;
      form.files.forEach((f) => f.data.fill(0));
      form.files = [];
      form.fields.clear();
    };

    bb.on('field', (name, value, info) => {
      if (failure) return;
      if (info.valueTruncated) return fail(formErrors.textTooLarge());
      if (info.nameTruncated) return fail(formErrors.malformed());
      fieldBytes += Buffer.byteLength(value) + name.length;
      if (fieldBytes > limits.maxFieldBytes * 2) return fail(formErrors.textTooLarge());
      const list = form.fields.get(name);
      if (list) list.push(value);
      else form.fields.set(name, [value]);
    });

    bb.on('file', (_field, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => {
        fileBytes += chunk.length;
        if (failure) return;
        if (fileBytes > limits.maxFileBytes) return fail(formErrors.filesTooLarge());
        chunks.push(chunk);
      });
      stream.on('limit', () => fail(formErrors.filesTooLarge()));
      stream.on('end', () => {
        const data = Buffer.concat(chunks);
        chunks.forEach((c) => c.fill(0));
        // An empty file input still sends a part with no name and no bytes: not a file.
        if (failure || (data.length === 0 && !info.filename)) return;
        form.files.push({
          name: (info.filename ?? '').slice(0, 255),
          type: (info.mimeType ?? 'application/octet-stream').slice(0, 255),
          data,
        });
      });
    });

    bb.on('filesLimit', () => fail(formErrors.tooManyFiles()));
    bb.on('fieldsLimit', () => fail(formErrors.tooManyFields()));
    bb.on('partsLimit', () => fail(formErrors.tooManyFields()));
    bb.on('error', () => {
      fail(formErrors.malformed());
      req.unpipe(bb);
      req.resume();
      reject(failure);
    });
    bb.on('close', () => (failure ? reject(failure) : resolve(form)));
    req.on('error', () => reject(formErrors.malformed()));
    req.pipe(bb);
  });
}
