import { ConfigError, loadConfig } from '../../../core/config';

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
