import { createProducer, newJobTicket, type Producer } from '../../../core/queue';
import { silentLogger } from '../../../core/logger';
import { initCrypto, randomId } from '../../../crypto';
import { obliterate } from '../../support/app';
import { TEST_REDIS_URL } from '../../support/env';

// The producer groups adds that arrive together into one pipeline (core/queue.ts). Grouping
// must not change what a caller is told: resolved means its job is in Redis, once, by id.
// (Redis down is covered end to end in outbox.test.ts: 202 anyway, then the sweeper.)

describe('producer: grouped adds', () => {
  let producer: Producer;
  let prefix: string;

  beforeAll(async () => {
    await initCrypto();
    prefix = `test-${randomId().slice(0, 8)}`;
    producer = createProducer({
      redisUrl: TEST_REDIS_URL,
      prefix,
      attempts: 3,
      backoffMs: 10,
      log: silentLogger,
    });
  });
  afterAll(async () => {
    await producer.close();
    await obliterate(prefix);
  });

  it('adds every job of a burst, each caller resolved only once its job is in Redis', async () => {
    const ids = Array.from({ length: 700 }, () => newJobTicket()); // more than one pipeline holds
    const seen: boolean[] = [];
    await Promise.all(
      ids.map((ticket, i) =>
        producer.enqueue('process-submission', { ticket }).then(async () => {
          seen[i] = (await producer.queue.getJob(`process-submission_${ticket}`)) !== undefined;
        }),
      ),
    );
    expect(seen.filter(Boolean)).toHaveLength(ids.length);
    const job = await producer.queue.getJob(`process-submission_${ids[0]}`);
    expect(job?.data).toEqual({ ticket: ids[0] });
    expect(job?.opts.attempts).toBe(3);
    expect(job?.opts.removeOnComplete).toBe(true);
  });

  it('keeps one job per id when the same id is added twice in one group', async () => {
    const ticket = newJobTicket();
    await Promise.all([
      producer.enqueue('process-submission', { ticket }),
      producer.enqueue('process-submission', { ticket }),
    ]);
    const jobs = await producer.queue.getJobs(['waiting']);
    expect(jobs.filter((j) => j.data.ticket === ticket)).toHaveLength(1);
  });

  it('refuses adds once closed, so a late caller falls back to the sweeper', async () => {
    const closing = createProducer({
      redisUrl: TEST_REDIS_URL,
      prefix,
      attempts: 1,
      backoffMs: 10,
      log: silentLogger,
    });
    await closing.close();
    await expect(
      closing.enqueue('process-submission', { ticket: newJobTicket() }),
    ).rejects.toMatchObject({ code: 'ENQUEUE_BACKLOG' });
  });
});
