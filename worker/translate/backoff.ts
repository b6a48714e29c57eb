import { randomInt } from 'node:crypto';

// Exponential backoff with jitter so that workers retrying against one rate-limited engine do
// not stampede in step. Randomness comes from node:crypto: the project bans Math.random.

/** Delay before retry number `attempt` (0-based): half of base·2^attempt plus a random half. */
export function backoffDelay(attempt: number, baseMs: number): number {
  const ceiling = baseMs * 2 ** attempt;
  const half = Math.floor(ceiling / 2);
  return half + randomInt(0, half + 1);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
