import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import Redis from 'ioredis';

// A private, throwaway redis-server for tests that take Redis down or read its files. The
// machine's shared Redis (6379) is never stopped: other test files use it in parallel.

export interface RedisServer {
  url: string;
  port: number;
  /** Stops it (SIGTERM); nothing is persisted, so a restart comes back empty. */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPing(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new Redis(url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      if ((await client.ping()) === 'PONG') {
        await client.quit(); // a clean close: disconnect() would leave a 2 s destroy timer
        return;
      }
    } catch {
      // After a refused connect the client has ended; disconnect() would then arm a 2 s timer.
      if (client.status !== 'end') client.disconnect();
      if (Date.now() > deadline) throw new Error(`redis-server on ${url} did not answer PING`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

export interface RedisServerOptions {
  /** Persist with AOF (appendfsync always) into this directory, as production does. */
  appendOnlyDir?: string;
}

export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const port = await freePort();
  const persistence = options.appendOnlyDir
    ? ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', options.appendOnlyDir]
    : ['--appendonly', 'no'];
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;

  async function start(): Promise<void> {
    if (child) return;
    const proc = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        ...persistence,
        '--maxmemory-policy',
        'noeviction',
      ],
      { stdio: 'ignore' },
    );
    proc.on('exit', () => {
      if (child === proc) child = undefined;
    });
    child = proc;
    await waitForPing(url, 5000);
  }

  async function stop(): Promise<void> {
    const proc = child;
    if (!proc) return;
    child = undefined;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
    });
  }

  await start();
  return { url, port, stop, start };
}
