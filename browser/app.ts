import { initCrypto } from '../crypto/portable';
import { enhance } from './enhance';
import { PAGE } from './page-ids';
import { addTestimony, checkReceipt } from './return';
import { submitTestimony } from './submit';

// Progressive enhancement over the no-JS forms. Nothing is intercepted until libsodium is
// loaded: where WebAssembly is unavailable (Tor Browser's safer levels, a strict CSP) the
// forms simply post the no-JS way.

async function main(): Promise<void> {
  await initCrypto();
  enhance(PAGE.submitForm, 'submit-status', submitTestimony);
  enhance(PAGE.returnForm, 'return-status', checkReceipt);
  enhance(PAGE.addForm, 'add-status', addTestimony);
  document.documentElement.dataset.soriJs = 'ready';
}

function start(): void {
  main().catch(() => {
    document.documentElement.dataset.soriJs = 'unavailable';
  });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
