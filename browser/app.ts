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

/**
 * "Leave quickly" replaces this page in the history (the back button does not return to it);
 * without the script it is an ordinary link to the same place.
 */
function quickExit(): void {
  const link = document.getElementById('quick-exit');
  if (!(link instanceof HTMLAnchorElement)) return;
  link.addEventListener('click', (event) => {
    event.preventDefault();
    window.location.replace(link.href);
  });
}

function start(): void {
  quickExit(); // before libsodium: it must work even where the rest cannot
  main().catch(() => {
    document.documentElement.dataset.soriJs = 'unavailable';
  });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
