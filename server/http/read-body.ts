import type { IncomingMessage } from 'node:http';
import { AppError, E } from '../../core/errors';

// A JSON body read into memory with a byte cap, with body-parser's answers (413 BODY_TOO_LARGE,
// 400 REQUEST_ABORTED); a refused body is read off to its end so the connection stays usable
// (server/SERVER.md).

const EMPTY = Buffer.alloc(0);

const tooLarge = (): AppError => new AppError(E.BODY_TOO_LARGE);
const aborted = (): AppError => new AppError(E.REQUEST_ABORTED);

export type BodyCallback = (err: AppError | null, body: Buffer) => void;

/** Reads the rest of a refused body, then calls back once (also if the client goes away). */
function drain(req: IncomingMessage, then: () => void): void {
  if (req.readableEnded || req.destroyed) {
    process.nextTick(then);
    return;
  }
  let called = false;
  const once = () => {
    if (called) return;
    called = true;
    then();
  };
  req.once('end', once);
  req.once('close', once);
  req.resume();
}

export function readBody(req: IncomingMessage, limit: number, done: BodyCallback): void {
  const chunks: Buffer[] = [];
  let received = 0;

  const detach = () => {
    req.off('data', onData);
    req.off('end', onEnd);
    req.off('error', onAbort);
    req.off('close', onAbort);
  };
  const refuse = (err: AppError) => {
    detach();
    chunks.length = 0;
    drain(req, () => done(err, EMPTY));
  };
  function onData(chunk: Buffer): void {
    received += chunk.length;
    if (received > limit) refuse(tooLarge());
    else chunks.push(chunk);
  }
  function onEnd(): void {
    detach();
    // One chunk is the usual case for a JSON body: used as it is, not copied.
    done(null, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received));
  }
  // 'close' before 'end' is a client that went away; 'error' comes with it when one listens.
  function onAbort(): void {
    detach();
    done(aborted(), EMPTY);
  }

  if (req.destroyed) {
    done(aborted(), EMPTY); // gone before its body was read (e.g. during a proof-of-work check)
    return;
  }
  if (req.readableEnded) {
    done(null, EMPTY); // nothing left to read: an empty body
    return;
  }
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    refuse(tooLarge());
    return;
  }
  req.on('data', onData);
  req.on('end', onEnd);
  req.on('error', onAbort);
  req.on('close', onAbort);
}
