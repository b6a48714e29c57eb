import { Worker } from 'bullmq';
import { createRedis, SUBMISSIONS_QUEUE } from '../core/queue';

// The reference for worker throughput, run as a child like Sori's worker: a BullMQ worker on
// the same Redis, queue name, connection options and concurrency whose processor does nothing.
// It tells the parent over IPC when it is ready and when it has completed EXPECT jobs.

const expect = Number(process.env.EXPECT);
const connection = createRedis(process.env.REDIS_URL ?? '', 'worker');
let completed = 0;
const worker = new Worker(SUBMISSIONS_QUEUE, async () => 'created', {
  connection,
  prefix: process.env.QUEUE_PREFIX,
  concurrency: Number(process.env.WORKER_CONCURRENCY),
});
worker.on('error', () => undefined);
worker.on('completed', () => {
  if (++completed === expect) process.send?.({ done: completed });
});
void worker.waitUntilReady().then(() => process.send?.({ ready: true }));
process.on('SIGTERM', () => {
  void worker.close().then(() => {
    connection.disconnect();
    process.exit(0);
  });
});
