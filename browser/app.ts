import { initCrypto } from '../crypto/portable';
import { t } from './messages';
import { PAGE } from './page-ids';
import { checkReceipt } from './return';
import { submitTestimony } from './submit';
import { StatusPanel } from './ui';

// Progressive enhancement over the no-JS forms. Nothing is intercepted until libsodium is
// loaded: where WebAssembly is unavailable (Tor Browser's safer levels, a strict CSP) the
// forms simply post the no-JS way.

type Flow = (form: HTMLFormElement, panel: StatusPanel) => Promise<void>;

function enhance(formId: string, panelId: string, flow: Flow): void {
  const form = document.getElementById(formId);
  if (!(form instanceof HTMLFormElement)) return;
  let busy = false;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (busy) return;
    busy = true;
    const buttons = form.querySelectorAll<HTMLButtonElement>('button, input[type=submit]');
    buttons.forEach((b) => (b.disabled = true));
    const panel = new StatusPanel(form, panelId);
    flow(form, panel)
      .catch(() => {
        // No detail on screen or in the console: it could name a file or quote the text.
        panel.progress(null);
        panel.say(t('failed'));
      })
      .finally(() => {
        busy = false;
        buttons.forEach((b) => (b.disabled = false));
      });
  });
  form.dataset.enhanced = 'true';
}

async function main(): Promise<void> {
  await initCrypto();
  enhance(PAGE.submitForm, 'submit-status', submitTestimony);
  enhance(PAGE.returnForm, 'return-status', checkReceipt);
  document.documentElement.dataset.soriJs = 'ready';
}

function start(): void {
  main().catch(() => {
    document.documentElement.dataset.soriJs = 'unavailable';
  });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
