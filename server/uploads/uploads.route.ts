import { Router, type RequestHandler, type Response } from 'express';
import { AppError, E } from '../../core/errors';
import { methodNotAllowed } from '../http/error.middleware';
import { requirePow } from '../pow/pow.route';
import type { PowService } from '../pow/pow.service';
import type { UploadService, UploadStatus } from './upload.service';
import {
  checkTusResumable,
  parseCreation,
  parsePatch,
  parseUploadId,
  TUS_EXTENSIONS,
  TUS_VERSION,
} from './uploads.schema';

// tus 1.0 (core, creation, termination, expiration) with no body parser: a PATCH body goes from
// the socket into the blob store a chunk at a time. Only creation costs a proof of work.

/** Expiry is kept in days; the header names the first midnight (UTC) the upload is gone. */
function setUploadHeaders(res: Response, upload: UploadStatus): void {
  res.setHeader('Upload-Offset', String(upload.offset));
  if (upload.goneOn) {
    res.setHeader('Upload-Expires', new Date(`${upload.goneOn}T00:00:00Z`).toUTCString());
  }
}

export interface UploadsDeps {
  uploads: UploadService;
  /** Guards creation only: HEAD, PATCH and DELETE stay free. */
  pow?: PowService;
}

export function uploadsRouter(deps: UploadsDeps): Router {
  const router = Router();

  const discovery: RequestHandler = (_req, res) => {
    res.setHeader('Tus-Resumable', TUS_VERSION);
    res.setHeader('Tus-Version', TUS_VERSION);
    res.setHeader('Tus-Extension', TUS_EXTENSIONS);
    res.setHeader('Tus-Max-Size', String(deps.uploads.maxBytes));
    res.status(204).end();
  };
  router.options('/v1/uploads', discovery);
  router.options('/v1/uploads/:id', discovery);

  // Every other request names the protocol version, errors included.
  router.use('/v1/uploads', (req, res, next) => {
    res.setHeader('Tus-Resumable', TUS_VERSION);
    if (req.method === 'OPTIONS') return next();
    try {
      checkTusResumable(req.headers);
    } catch (err) {
      res.setHeader('Tus-Version', TUS_VERSION);
      throw err;
    }
    next();
  });

  router.post('/v1/uploads', requirePow(deps.pow), async (req, res) => {
    const length = parseCreation(req.headers, deps.uploads.maxBytes);
    const upload = await deps.uploads.create(length);
    setUploadHeaders(res, upload);
    res.setHeader('Location', `/v1/uploads/${upload.id}`);
    res.status(201).end();
  });

  router.head('/v1/uploads/:id', async (req, res) => {
    const upload = await deps.uploads.status(parseUploadId(req.params.id));
    setUploadHeaders(res, upload);
    res.setHeader('Upload-Length', String(upload.length));
    res.status(200).end();
  });

  router.patch('/v1/uploads/:id', async (req, res) => {
    const id = parseUploadId(req.params.id);
    const { offset, contentLength } = parsePatch(req.headers);
    // Not destroyed on an early stop, so a 409 or 413 still reaches the client.
    const body = req.iterator({ destroyOnReturn: false });
    let upload: UploadStatus;
    try {
      upload = await deps.uploads.patch(id, offset, contentLength, body);
    } catch (err) {
      // A dropped connection: what arrived is stored; nobody is left to answer.
      if (req.destroyed && !req.complete) throw new AppError(E.REQUEST_ABORTED, 'Request aborted');
      throw err;
    }
    setUploadHeaders(res, upload);
    res.status(204).end();
  });

  router.delete('/v1/uploads/:id', async (req, res) => {
    await deps.uploads.terminate(parseUploadId(req.params.id));
    res.status(204).end();
  });

  router.all('/v1/uploads', methodNotAllowed('OPTIONS, POST'));
  router.all('/v1/uploads/:id', methodNotAllowed('OPTIONS, HEAD, PATCH, DELETE'));
  return router;
}
