import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig, stalledRecoveryBoundMs } from '../../../core/config';

describe('loadConfig', () => {
  it('applies defaults and freezes the result', () => {
    const config = loadConfig({});
    expect(config.PUBLIC_PORT).toBe(8080);
    expect(config.TRANSLATOR).toBe('none');
    expect(Object.isFrozen(config)).toBe(true);
    expect(() => {
      (config as { PUBLIC_PORT: number }).PUBLIC_PORT = 1;
    }).toThrow(TypeError);
  });

  it('coerces numbers from the environment', () => {
    expect(loadConfig({ REVIEW_PORT: '9001', WORKER_CONCURRENCY: '3' })).toMatchObject({
      REVIEW_PORT: 9001,
      WORKER_CONCURRENCY: 3,
    });
  });

  it.each([
    ['PUBLIC_PORT', 'eighty'],
    ['PUBLIC_PORT', '70000'],
    ['DATABASE_URL', 'not a url'],
    ['TRANSLATOR', 'google'],
    ['QUEUE_PREFIX', 'has spaces'],
    ['METRICS', 'maybe'],
  ])('fails fast naming the bad variable %s=%s', (name, value) => {
    let caught: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).message).toContain(name);
    expect((caught as ConfigError).code).toBe('CONFIG_INVALID');
  });

  it('never echoes the bad value back (it may be a secret)', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres secret-password' })).toThrow(
      /^(?!.*secret-password).*DATABASE_URL/,
    );
  });
});

describe('boolean settings', () => {
  it('default to false and parse the usual spellings', () => {
    expect(loadConfig({}).METRICS).toBe(false);
    expect(loadConfig({ METRICS: 'true' }).METRICS).toBe(true);
    expect(loadConfig({ METRICS: 'no' }).METRICS).toBe(false);
  });
});

describe('stalled-job recovery (issue 11)', () => {
  it('states in the README the bound the defaults give', () => {
    const config = loadConfig({});
    const bound = stalledRecoveryBoundMs(config);
    expect(config.WORKER_STALLED_INTERVAL_MS * 2).toBeLessThanOrEqual(
      config.WORKER_LOCK_DURATION_MS,
    );
    const readme = readFileSync(join(__dirname, '../../../README.md'), 'utf8');
    const row = readme.split('\n').find((l) => l.startsWith('| `WORKER_LOCK_DURATION_MS`')) ?? '';
    expect(row).toContain(
      `\`${config.WORKER_LOCK_DURATION_MS}\` / \`${config.WORKER_STALLED_INTERVAL_MS}\``,
    );
    expect(row).toContain(`within lock + interval, ${bound / 1000} s`);
  });

  it('refuses a stalled interval over half the lock, where the bound would not hold', () => {
    expect(() =>
      loadConfig({ WORKER_LOCK_DURATION_MS: '30000', WORKER_STALLED_INTERVAL_MS: '30000' }),
    ).toThrow(ConfigError);
    expect(() => loadConfig({ WORKER_STALLED_INTERVAL_MS: '15001' })).toThrow(
      /WORKER_STALLED_INTERVAL_MS/,
    );
    expect(loadConfig({ WORKER_STALLED_INTERVAL_MS: '15000' }).WORKER_STALLED_INTERVAL_MS).toBe(
      15000,
    );
  });
});
