import busboy from 'busboy';
import type { Request } from 'express';
import type { Readable } from 'node:stream';
import { AppError, E } from '../../core/errors';

// The no-JS form, read with busboy as it streams in. Fields (text, answers) are kept as
// strings; each file is handed, as it arrives, to `onFile`, which seals it on the fly (see
// seal.service.ts), so a file's plaintext is never held whole, nor written anywhere.

/** One file part, its bytes still arriving: `data` must be read to the end or destroyed. */
export interface IncomingFile {
  name: string;
  type: string;
  data: Readable;
}

/** Consumes one file; a rejection fails the whole form with that error. */
export type FileHandler = (file: IncomingFile) => Promise<void>;

export interface ParsedForm {
  fields: Map<string, string[]>;
}

export interface FormLimits {
  /** Any one field, the testimony text included. */
  maxFieldBytes: number;
  /** What a body may announce in files before it is refused unread (the sealer enforces
   * the per-file and per-submission limits on what actually arrives). */
  maxFileBytes: number;
  maxFiles: number;
  maxFields: number;
  /**
   * Progress check: fewer than `minBytes` arriving in a `windowMs` window fails the form
   * (UPLOAD_TOO_SLOW). A slow Tor circuit passes easily; a stalled or trickling one does not
   * hold a body's place until the listener's outer timeout.
   */
  progress?: { windowMs: number; minBytes: number };
}

export const FORM_PROGRESS_DEFAULT = { windowMs: 60_000, minBytes: 64 * 1024 };

/** A little over the limits, for multipart framing: a body announcing more is hopeless. */
const DRAIN_SLACK_BYTES = 1024 * 1024;
/** What is read and dropped after a refusal mid-body, before the connection is cut. */
const DRAIN_MAX_BYTES = 64 * 1024 * 1024;

export const formErrors = {
  tooManyFiles: () => new AppError(E.TOO_MANY_FILES),
  filesTooLarge: () => new AppError(E.FILES_TOO_LARGE),
  textTooLarge: () => new AppError(E.TEXT_TOO_LARGE),
  tooManyFields: () => new AppError(E.TOO_MANY_FIELDS),
  malformed: () => new AppError(E.MALFORMED_FORM),
  mediaType: () => new AppError(E.UNSUPPORTED_MEDIA_TYPE, 'Expected multipart/form-data'),
  tooSlow: () => new AppError(E.UPLOAD_TOO_SLOW),
};

/** The progress of a body, told to whoever gave it its place (server/pow/body-slots.ts). */
export interface BodyWatch {
  progress(bytes: number): void;
  /** Fails the form with `err` when its place is taken back. */
  onEvict(cb: (err: unknown) => void): void;
}

/** Refused before a body is read (and before it costs anything): not a multipart form. */
export function notMultipart(req: Request): boolean {
  return !/^multipart\/form-data\b/i.test(req.headers['content-type'] ?? '');
}

/** A body that announces more than the form can ever accept is refused before it is read. */
export function declaredTooLarge(req: Request, limits: FormLimits): boolean {
  const declared = Number(req.headers['content-length'] ?? 0);
  const most = limits.maxFileBytes + limits.maxFieldBytes * 2 + DRAIN_SLACK_BYTES;
  return Number.isFinite(declared) && declared > most;
}

function createParser(req: Request, limits: FormLimits): busboy.Busboy {
  return busboy({
    headers: req.headers,
    defParamCharset: 'utf8', // browsers send file names as raw UTF-8
    limits: {
      fieldSize: limits.maxFieldBytes,
      files: limits.maxFiles,
      fields: limits.maxFields,
      parts: limits.maxFields + limits.maxFiles,
      fieldNameSize: 100,
    },
  });
}

/**
 * Resolves with the fields once the body is read and every file handler has finished, or
 * rejects with the first problem once every handler has settled (so the caller can delete
 * what they stored). On a problem the rest of the body is no longer parsed.
 */
export function readMultipart(
  req: Request,
  limits: FormLimits,
  onFile: FileHandler,
  watch?: BodyWatch,
): Promise<ParsedForm> {
  return new Promise((resolve, reject) => {
    if (notMultipart(req)) {
      req.resume();
      reject(formErrors.mediaType());
      return;
    }
    let bb: busboy.Busboy;
    try {
      bb = createParser(req, limits);
    } catch {
      req.resume();
      reject(formErrors.malformed()); // no boundary, or not a multipart type busboy knows
      return;
    }
    const form: ParsedForm = { fields: new Map() };
    const handlers: Promise<void>[] = [];
    const open = new Set<Readable>(); // file parts still arriving
    let failure: unknown = null; // the first problem: an AppError, or a store's own error
    let parsed = false;
    // Fields count against the body too: a chunked body announces no length, and hundreds of
    // fields at the per-field cap would otherwise all be held in memory.
    let fieldBytes = 0;

    // The progress check runs until the whole body is in (sealing time is not the client's).
    const progress = limits.progress ?? FORM_PROGRESS_DEFAULT;
    let windowBytes = 0;
    const watchdog = setInterval(() => {
      if (windowBytes < progress.minBytes) fail(formErrors.tooSlow());
      windowBytes = 0;
    }, progress.windowMs);
    watchdog.unref();
    req.on('data', (chunk: Buffer) => {
      windowBytes += chunk.length;
      watch?.progress(chunk.length);
    });
    req.once('end', () => clearInterval(watchdog));
    req.once('close', () => clearInterval(watchdog));

    const settle = (): void => {
      if (!parsed && failure === null) return;
      clearInterval(watchdog);
      void Promise.allSettled(handlers).then(() =>
        failure !== null ? reject(failure) : resolve(form),
      );
    };
    const fail = (err: unknown): void => {
      if (failure !== null) return;
      failure = err;
      form.fields.clear();
      // Stop parsing, and the files being sealed stop with this error. The rest of the body
      // is read and dropped, so the client gets the answer (closing at once makes the peer
      // reset the connection, and a browser shows an error instead of the page), up to a cap.
      req.unpipe(bb);
      let drained = 0;
      req.on('data', (chunk: Buffer) => {
        drained += chunk.length;
        if (drained > DRAIN_MAX_BYTES) req.destroy();
      });
      req.resume();
      for (const stream of open) stream.destroy(err as Error);
      settle();
    };

    bb.on('field', (name, value, info) => {
      if (failure !== null) return;
      if (info.valueTruncated) return fail(formErrors.textTooLarge());
      if (info.nameTruncated) return fail(formErrors.malformed());
      fieldBytes += Buffer.byteLength(value) + name.length;
      if (fieldBytes > limits.maxFieldBytes * 2) return fail(formErrors.textTooLarge());
      const list = form.fields.get(name);
      if (list) list.push(value);
      else form.fields.set(name, [value]);
    });

    bb.on('file', (_field, stream, info) => {
      // An empty file input still sends a part with no file name and no bytes: not a file.
      if (failure !== null || !info.filename) {
        stream.resume();
        return;
      }
      open.add(stream);
      stream.once('close', () => open.delete(stream));
      // Destroyed with the form's failure before its reader started: that reader reports it.
      stream.on('error', () => undefined);
      const handled = onFile({
        name: info.filename.slice(0, 255),
        type: (info.mimeType ?? 'application/octet-stream').slice(0, 255),
        data: stream,
      }).catch((err: unknown) => {
        stream.destroy();
        fail(err);
      });
      handlers.push(handled);
    });

    bb.on('filesLimit', () => fail(formErrors.tooManyFiles()));
    bb.on('fieldsLimit', () => fail(formErrors.tooManyFields()));
    bb.on('partsLimit', () => fail(formErrors.tooManyFields()));
    bb.on('error', () => fail(formErrors.malformed()));
    bb.on('close', () => {
      parsed = true;
      settle();
    });
    watch?.onEvict((err) => fail(err));
    // A dropped connection: busboy would wait for the rest forever.
    req.on('error', () => fail(formErrors.malformed()));
    req.on('close', () => {
      if (!req.complete) fail(formErrors.malformed());
    });
    req.pipe(bb);
  });
}
