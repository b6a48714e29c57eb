import express, { type NextFunction, type Request, type Response } from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { initCrypto } from '../../crypto';
import { errorAnswer } from './desk-error';
import {
  hostCheck,
  newSecrets,
  requireSecret,
  sameOrigin,
  securityHeaders,
  tokenExchange,
} from './guard';
import { Inbox } from './inbox';
import { loadPageAssets, type PageAssets } from './page-assets';
import { deskRoutes } from './routes';
import { Vault } from './vault';

// `sori desk`: one reviewer's local web page, served by this process on 127.0.0.1 and a port
// the system picks. The page (HTML, script, style) ships with the console; the review API is
// the only other server this process talks to.

export interface DeskOptions {
  server: string;
  keyPath: string;
  idleMs: number;
  /** 0: a random free port. */
  port?: number;
  assets?: PageAssets;
}

export interface Desk {
  origin: string;
  /** The one-time address that hands the browser its cookie. */
  openUrl: string;
  vault: Vault;
  close(): Promise<void>;
}

export async function startDesk(o: DeskOptions): Promise<Desk> {
  await initCrypto();
  const assets = o.assets ?? (await loadPageAssets());
  const secrets = newSecrets();
  const vault = new Vault({
    server: o.server.replace(/\/+$/, ''),
    keyPath: o.keyPath,
    idleMs: o.idleMs,
  });
  const inbox = new Inbox();
  vault.onLock(() => inbox.clear());
  let origin = '';
  const app = express();
  app.set('x-powered-by', false);
  app.set('etag', false);
  app.use(
    securityHeaders,
    hostCheck(() => origin),
  );
  app.get('/open', tokenExchange(secrets));
  app.use(
    requireSecret(secrets),
    sameOrigin(() => origin),
  );
  app.use(express.json({ limit: '4mb' }));
  const page = (type: string, body: string) => (_req: Request, res: Response) => {
    res.type(type).send(body);
  };
  app.get('/', page('html', assets.html));
  app.get('/desk.js', page('application/javascript', assets.js));
  app.get('/desk.css', page('text/css', assets.css));
  app.use(deskRoutes(vault, inbox));
  app.use((_req: Request, res: Response) => {
    res.status(404).json({ error: { code: 'DESK_NOT_FOUND', message: 'Not found' } });
  });
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const parseError = (err as { type?: unknown })?.type;
    const a =
      typeof parseError === 'string' && parseError.startsWith('entity.')
        ? { status: 400, code: 'DESK_BAD_JSON', message: 'The body is not JSON the desk can read' }
        : errorAnswer(err);
    if (a.code === 'DESK_INTERNAL' && process.env.SORI_DEBUG === '1') console.error(err);
    res.status(a.status).json({ error: { code: a.code, message: a.message } });
  });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(o.port ?? 0, '127.0.0.1', () => resolve(s));
    s.on('error', reject);
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    openUrl: `${origin}/open?token=${encodeURIComponent(secrets.token!)}`,
    vault,
    async close() {
      vault.lock('asked');
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
