import { t } from './messages';
import { StatusPanel } from './ui';

// Progressive enhancement of one form: its submit is taken over by `flow`, buttons are
// disabled while it runs, and a failure says so without any detail (it could quote the text).

export type Flow = (form: HTMLFormElement, panel: StatusPanel) => Promise<void>;

export function enhanceForm(form: HTMLFormElement, panelId: string, flow: Flow): void {
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

export function enhance(formId: string, panelId: string, flow: Flow): void {
  const form = document.getElementById(formId);
  if (form instanceof HTMLFormElement) enhanceForm(form, panelId, flow);
}
