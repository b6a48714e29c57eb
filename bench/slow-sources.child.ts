import { initCrypto } from '../crypto';
import { reportToParent } from './children';
import { slowUploads } from './slow-sources';

// The slow sources of bench/slow-sources.ts in a process of their own: 200 paced uploads keep
// an event loop busy, and the text submissions' latency is measured from the bench process.

reportToParent(async () => {
  await initCrypto();
  const url = process.env.BENCH_SLOW_URL;
  const n = Number(process.env.BENCH_SLOW_PLAINTEXT);
  if (!url || !Number.isSafeInteger(n)) throw new Error('BENCH_SLOW_URL and BENCH_SLOW_PLAINTEXT');
  return slowUploads(url, n);
});
