import { deriveSourceKeys, generateReceipt } from '../crypto/portable';
import { BadAnswer } from './answers';
import { readSubmitForm, type SubmitFormData } from './form-data';
import { t } from './messages';
import { encryptAndSend } from './send';
import { nextFrame, receiptBlock, type StatusPanel } from './ui';

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

  panel.say(t('preparing'));
  await nextFrame(); // Argon2id (64 MiB) blocks the thread for a moment: show why first
  const receipt = generateReceipt();
  const source = deriveSourceKeys(receipt);
  await encryptAndSend(data, source, panel);

  form.reset(); // the testimony leaves the page once it is safely sent
  form.hidden = true;
  panel.say(t('done'));
  panel.result.replaceChildren(receiptBlock(receipt, t('receiptTitle'), t('receiptNote')));
}
