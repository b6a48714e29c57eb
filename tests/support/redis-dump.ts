import Redis from 'ioredis';
import { TEST_REDIS_URL } from './env';

// Every key and value under a test prefix, as text, for canary searches.

export async function redisDump(prefix: string): Promise<string> {
  const redis = new Redis(TEST_REDIS_URL);
  try {
    const out: string[] = [];
    for (const key of await redis.keys(`${prefix}:*`)) {
      out.push(key);
      const type = await redis.type(key);
      if (type === 'string') out.push(String(await redis.get(key)));
      else if (type === 'hash') out.push(JSON.stringify(await redis.hgetall(key)));
      else if (type === 'list') out.push(...(await redis.lrange(key, 0, -1)));
      else if (type === 'set') out.push(...(await redis.smembers(key)));
      else if (type === 'zset') out.push(...(await redis.zrange(key, 0, -1)));
      else if (type === 'stream') out.push(JSON.stringify(await redis.xrange(key, '-', '+')));
      else out.push(`<${type}>`);
    }
    return out.join('\n');
  } finally {
    await redis.quit();
  }
}
