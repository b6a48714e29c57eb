import { LibreTranslateTranslator } from '../../../worker/translate/libretranslate';
import { TranslationError } from '../../../worker/translate/translator';
import {
  startLibreTranslateStub,
  type LibreTranslateStub,
} from '../../support/libretranslate-stub';

const CANARY = '여권을 빼앗겼어요 canary-7f3a.';

describe('LibreTranslateTranslator (against the protocol stub)', () => {
  let stub: LibreTranslateStub;
  const client = (extra: Partial<ConstructorParameters<typeof LibreTranslateTranslator>[0]> = {}) =>
    new LibreTranslateTranslator({ url: stub.url, backoffMs: 1, timeoutMs: 2000, ...extra });
  const translateRequests = () => stub.requests.filter((r) => r.path === '/translate');

  async function failure(promise: Promise<unknown>): Promise<TranslationError> {
    const err = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TranslationError);
    const error = err as TranslationError;
    expect(error.message).not.toContain('canary');
    expect(error.message).not.toContain('여권');
    expect(String(error.stack)).not.toContain('canary');
    return error;
  }

  beforeEach(async () => {
    stub = await startLibreTranslateStub({ charLimit: 40 });
  });
  afterEach(() => stub.close());

  it('translates with the dictionary and records engine, version and languages', async () => {
    const result = await client().translate('여권을 빼앗겼어요.', 'ko', 'en');
    expect(result).toEqual({
      text: 'They took my passport.',
      engine: 'libretranslate',
      engineVersion: '1.7.0-stub',
      source: 'ko',
      target: 'en',
      chunks: 1,
    });
    expect(translateRequests()[0]!.body).toEqual({
      q: '여권을 빼앗겼어요.',
      source: 'ko',
      target: 'en',
      format: 'text',
    });
  });

  it('sends und as auto and reports the detected language', async () => {
    const result = await client().translate('Паспорт забрали.', 'und', 'en');
    expect(translateRequests()[0]!.body).toMatchObject({ source: 'auto' });
    expect(result).toMatchObject({ text: 'They took the passport.', source: 'ru' });
  });

  it('chunks on sentence boundaries within the limit and joins in order', async () => {
    const text =
      '여권을 빼앗겼어요. 월급을 받지 못했습니다. 우리는 매일 열여섯 시간 일했습니다.\n\nПаспорт забрали. Нам не платили.';
    const result = await client({ charLimit: 20 }).translate(text, 'ko', 'en');
    const sent = translateRequests().map((r) => (r.body as { q: string }).q);
    expect(sent).toEqual([
      '여권을 빼앗겼어요.',
      '월급을 받지 못했습니다.',
      '우리는 매일 열여섯 시간 일했습니다.',
      'Паспорт забрали.',
      'Нам не платили.',
    ]);
    for (const q of sent) expect([...q].length).toBeLessThanOrEqual(20);
    expect(result.chunks).toBe(5);
    expect(result.text).toBe(
      'They took my passport. I was not paid my wages. [en] 우리는 매일 열여섯 시간 일했습니다.\n\nThey took the passport. We were not paid.',
    );
  });

  it('retries a 429 and then succeeds', async () => {
    stub.setBehaviour({ kind: 'fail', status: 429, times: 2 });
    const result = await client().translate('Нам не платили.', 'ru', 'en');
    expect(result.text).toBe('We were not paid.');
    expect(translateRequests()).toHaveLength(3);
  });

  it('gives up on repeated 500s with a retryable engine error', async () => {
    stub.setBehaviour({ kind: 'fail', status: 500, times: 10 });
    const error = await failure(client({ retries: 2 }).translate(CANARY, 'ko', 'en'));
    expect(error).toMatchObject({ code: 'TRANSLATE_ENGINE_ERROR', retryable: true, status: 500 });
    expect(translateRequests()).toHaveLength(3);
  });

  it('does not retry a bad API key', async () => {
    await stub.close();
    stub = await startLibreTranslateStub({ apiKey: 'right-key' });
    const error = await failure(client({ apiKey: 'wrong-key' }).translate(CANARY, 'ko', 'en'));
    expect(error).toMatchObject({ code: 'TRANSLATE_FORBIDDEN', retryable: false, status: 403 });
    expect(translateRequests()).toHaveLength(1);
    const ok = await client({ apiKey: 'right-key' }).translate('Нам не платили.', 'ru', 'en');
    expect(ok.text).toBe('We were not paid.');
  });

  it('maps an unsupported language to TRANSLATE_UNSUPPORTED without retrying', async () => {
    const error = await failure(client().translate(CANARY, 'ko', 'xx'));
    expect(error).toMatchObject({ code: 'TRANSLATE_UNSUPPORTED', retryable: false, status: 400 });
    expect(translateRequests()).toHaveLength(1);
  });

  it('reports a bad request when the engine limit is lower than ours', async () => {
    const error = await failure(client({ charLimit: 100 }).translate(CANARY.repeat(2), 'ko', 'en'));
    expect(error).toMatchObject({ code: 'TRANSLATE_BAD_REQUEST', retryable: false });
  });

  it('times out a hanging engine, retrying first', async () => {
    stub.setBehaviour({ kind: 'hang' });
    const error = await failure(
      client({ timeoutMs: 100, retries: 1 }).translate(CANARY, 'ko', 'en'),
    );
    expect(error).toMatchObject({ code: 'TRANSLATE_TIMEOUT', retryable: true });
    expect(translateRequests()).toHaveLength(2);
  });

  it('tolerates a slow engine within the timeout', async () => {
    stub.setBehaviour({ kind: 'slow', delayMs: 50 });
    const result = await client({ timeoutMs: 1000 }).translate('Нам не платили.', 'ru', 'en');
    expect(result.text).toBe('We were not paid.');
  });

  it('reports an unreachable engine as retryable TRANSLATE_UNAVAILABLE', async () => {
    const url = stub.url;
    await stub.close();
    const error = await failure(
      new LibreTranslateTranslator({ url, retries: 1, backoffMs: 1 }).translate(CANARY, 'ko', 'en'),
    );
    expect(error).toMatchObject({ code: 'TRANSLATE_UNAVAILABLE', retryable: true });
    stub = await startLibreTranslateStub();
  });

  it('finds the version in /frontend/settings, else /spec, else says unknown', async () => {
    expect(await client().version()).toBe('1.7.0-stub');
    await stub.close();
    stub = await startLibreTranslateStub({ version: null, specVersion: '1.6.4' });
    expect(await client().version()).toBe('1.6.4');
    await stub.close();
    stub = await startLibreTranslateStub({ version: null, specVersion: '?' });
    expect(await client().version()).toBe('unknown');
  });

  it('sends nothing for empty text', async () => {
    const result = await client().translate('  \n ', 'ko', 'en');
    expect(result).toMatchObject({ text: '  \n ', chunks: 0 });
    expect(translateRequests()).toHaveLength(0);
  });
});
