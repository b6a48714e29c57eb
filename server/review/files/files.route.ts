import { Router, type NextFunction, type Response } from 'express';
import { methodNotAllowed } from '../../http/error.middleware';
import { toBase64 } from '../../../crypto';
import { caller } from '../auth/auth.middleware';
import { pathId } from '../http/schema';
import { fileNotFound, type FileRelease, type FilesService } from './files.service';

// GET /v1/records/:id/files/:fileId: the stored ciphertext, piped chunk by chunk (memory stays
// flat whatever the size). A held-back original also carries Sori-Wrapped-Key, its key H sealed
// to the calling admin, so the file and the means to open it are one audited fetch.

export const WRAPPED_KEY_HEADER = 'Sori-Wrapped-Key';

function send(file: FileRelease, res: Response, next: NextFunction): void {
  res.setHeader('Content-Type', 'application/octet-stream');
  res.setHeader('Content-Length', String(file.length));
  res.setHeader('Content-Disposition', 'attachment');
  if (file.wrappedKey) res.setHeader(WRAPPED_KEY_HEADER, toBase64(file.wrappedKey));
  const body = file.open();
  body.on('error', (err) => {
    // Before the first byte the client still gets an error body; after it, a cut connection
    // (the console's decryptor then refuses the truncated stream).
    if (res.headersSent) res.destroy();
    else next(err);
  });
  res.on('close', () => body.destroy());
  body.pipe(res);
}

export interface FilesDeps {
  files: FilesService;
}

export function filesRouter(deps: FilesDeps): Router {
  const router = Router();
  const path = '/v1/records/:id/files/:fileId';

  // Express would answer HEAD with the GET handler: an audited read of every chunk, for nothing.
  router.head(path, methodNotAllowed('GET'));
  router.get(path, async (req, res, next) => {
    const recordId = pathId(req.params.id, fileNotFound);
    const fileId = pathId(req.params.fileId, fileNotFound);
    send(await deps.files.release(caller(res), recordId, fileId), res, next);
  });

  router.all(path, methodNotAllowed('GET'));
  return router;
}
