import { deriveSourceKeys, generateReceipt } from '../crypto/portable';
import { BadAnswer } from './answers';
import { readSubmitForm, type SubmitFormData } from './form-data';
import { t } from './messages';
import { encryptAndSend } from './send';
import { PAGE } from './page-ids';
import { el, nextFrame, receiptBlock, type StatusPanel } from './ui';

const JS_ERROR = 'js-form-error';

// The JS path of the submit form: everything is encrypted here, before a byte leaves the
// device; the server receives ciphertext, a sealed content key and the hash of a token.

export async function submitTestimony(form: HTMLFormElement, panel: StatusPanel): Promise<void> {
  let data: SubmitFormData;
  try {
    data = readSubmitForm(form);
  } catch (err) {
    if (!(err instanceof BadAnswer)) throw err;
    panel.say(t('badAnswer'));
    const field = form.elements.namedItem(err.questionId);
    if (field instanceof HTMLElement) field.focus();
    return;
  }

  // As the no-JS form refuses it (FORM_EMPTY): answers alone are not testimony, and an empty
  // record would reach the reviewers with nothing in it.
  if (data.text.trim() === '' && data.files.length === 0) {
    panel.say(t('empty'));
    // Said above the text field too, where the eye is after focus moves there (the status
    // line sits below the button, off a phone's screen).
    document.getElementById(JS_ERROR)?.remove();
    const box = el('div', { class: 'error', id: JS_ERROR, role: 'alert' });
    box.append(el('p', {}, t('empty')));
    const text = form.elements.namedItem(PAGE.textField);
    if (text instanceof HTMLElement) {
      (text.closest('.field') ?? text).before(box);
      text.focus();
    }
    box.scrollIntoView({ block: 'start' });
    return;
  }
  document.getElementById(JS_ERROR)?.remove();

  panel.say(t('preparing'));
  await nextFrame(); // Argon2id (64 MiB) blocks the thread for a moment: show why first
  const receipt = generateReceipt();
  const source = deriveSourceKeys(receipt);
  await encryptAndSend(data, source, panel);

  form.reset(); // the testimony leaves the page once it is safely sent
  form.hidden = true;
  panel.say(t('done'));
  const block = receiptBlock(receipt, {
    title: t('receiptTitle'),
    lead: t('receiptLead'),
    warnings: [t('receiptWarn'), t('receiptUse'), t('receiptDevice')],
    done: t('receiptDone'),
  });
  panel.result.replaceChildren(block);
  // On a phone the receipt lands below the fold: bring it up, and read it out first.
  block.scrollIntoView({ block: 'start' });
  block.focus({ preventScroll: true });
  // As on the no-JS receipt page, the last step is "I have written it down": the receipt
  // leaves the page and the form comes back, empty.
  block.querySelector('button')?.addEventListener('click', () => {
    panel.result.replaceChildren();
    panel.say('');
    form.hidden = false;
    window.scrollTo(0, 0);
  });
}
