import type { Express } from 'express';
import type { Server } from 'node:http';
import type { Config } from '../../core/config';
import type { Logger } from '../../core/logger';

// The review listener for server/main.ts: its own host and port, never the public one.

export async function startReviewListener(deps: {
  app: Express;
  config: Pick<Config, 'REVIEW_HOST' | 'REVIEW_PORT' | 'HEADERS_TIMEOUT_MS' | 'REQUEST_TIMEOUT_MS'>;
  log: Logger;
}): Promise<Server> {
  const { config } = deps;
  const server = deps.app.listen(config.REVIEW_PORT, config.REVIEW_HOST);
  server.headersTimeout = config.HEADERS_TIMEOUT_MS;
  server.requestTimeout = config.REQUEST_TIMEOUT_MS;
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  deps.log.info('server.listening', { listener: 'review', port: config.REVIEW_PORT });
  return server;
}

export function closeListener(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
