// A fresh module registry per test file: nothing here calls initCrypto().
import * as c from '../../../crypto';
import { expectCode } from './helpers';

it('refuses to work before initCrypto()', () => {
  expectCode(() => c.randomBytes(1), 'CRYPTO_NOT_READY');
  expectCode(() => c.sha256('x'), 'CRYPTO_NOT_READY');
  expectCode(() => c.generateBoxKeyPair(), 'CRYPTO_NOT_READY');
  expectCode(() => c.generateReceipt(), 'CRYPTO_NOT_READY');
  expectCode(
    () => c.encryptObject(new Uint8Array(32), 'record', 'x', new Uint8Array(1)),
    'CRYPTO_NOT_READY',
  );
});
