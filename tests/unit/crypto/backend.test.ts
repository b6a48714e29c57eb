/**
 * Which libsodium build runs: the one this jest project names (SORI_CRYPTO_BACKEND, set by
 * tests/support/crypto-*.setup.ts), a loud fallback to WASM when the addon cannot load, and a
 * refusal when native was demanded or the switch names no build.
 */
import * as c from '../../../crypto';

type Crypto = typeof c;

/** A fresh copy of crypto/ (its own module registry), started under `env`. */
async function startIsolated(env: string | undefined, addonFails: boolean): Promise<Crypto> {
  const before = process.env.SORI_CRYPTO_BACKEND;
  let mod: Crypto | undefined;
  if (env === undefined) delete process.env.SORI_CRYPTO_BACKEND;
  else process.env.SORI_CRYPTO_BACKEND = env;
  try {
    // Async: the addon is loaded by initCrypto(), which must see this registry's mock.
    await jest.isolateModulesAsync(async () => {
      // What a missing or incompatible prebuild does: the addon's require throws.
      if (addonFails)
        jest.doMock('sodium-native', () => {
          throw new Error('No addon found for this platform');
        });
      mod = jest.requireActual<Crypto>('../../../crypto');
      await mod.initCrypto();
    });
  } finally {
    process.env.SORI_CRYPTO_BACKEND = before;
  }
  return mod!;
}

async function rejection(p: Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return e as { code?: string; message: string };
  }
  throw new Error('expected a rejection');
}

afterEach(() => jest.dontMock('sodium-native'));

it('runs on the build this jest project names', async () => {
  await c.initCrypto();
  const wanted = process.env.SORI_CRYPTO_BACKEND;
  expect(wanted === 'native' || wanted === 'wasm').toBe(true);
  expect(c.cryptoBackend()).toEqual({ name: wanted });
});

it('defaults to the native addon on Node', async () => {
  const mod = await startIsolated(undefined, false);
  expect(mod.cryptoBackend()).toEqual({ name: 'native' });
});

it('falls back to WASM when the addon cannot load, and says so', async () => {
  const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
  try {
    const mod = await startIsolated('auto', true);
    expect(mod.cryptoBackend().name).toBe('wasm');
    expect(mod.cryptoBackend().fallbackReason).toContain('No addon found');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toContain('using libsodium.js (WASM)');
    expect(warn.mock.calls[0]![1]).toEqual({ code: 'SORI_CRYPTO_FALLBACK' });
    // And it works: the same digest and keys as any build.
    expect(mod.sha256Hex('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    const seed = new Uint8Array(32).fill(9);
    expect(mod.generateBoxKeyPair(seed).publicKey).toEqual(c.generateBoxKeyPair(seed).publicKey);
  } finally {
    warn.mockRestore();
  }
});

it('refuses to start when native is demanded and the addon cannot load', async () => {
  const err = await rejection(startIsolated('native', true));
  expect(err.code).toBe('CRYPTO_BACKEND_UNAVAILABLE');
  expect(err.message).toContain('SORI_CRYPTO_BACKEND=native');
});

it('refuses a switch that names no build', async () => {
  const err = await rejection(startIsolated('fast', false));
  expect(err.code).toBe('CRYPTO_BACKEND_UNAVAILABLE');
  expect(err.message).toContain('SORI_CRYPTO_BACKEND');
});

it('takes wasm when asked, even with a working addon', async () => {
  const mod = await startIsolated('wasm', false);
  expect(mod.cryptoBackend()).toEqual({ name: 'wasm' });
});
