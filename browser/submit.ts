import {
  attachmentKey,
  buildSubmission,
  deriveSourceKeys,
  fromBase64,
  generateReceipt,
  randomBytes,
  toBase64,
  type SubmissionAttachment,
} from '../crypto/portable';
import { getIntakeKey, postSubmission } from './api';
import { encryptFile } from './encrypt-file';
import { BadAnswer } from './answers';
import { readSubmitForm, type SubmitFormData } from './form-data';
import { t } from './messages';
import { nextFrame, receiptBlock, type StatusPanel } from './ui';
import { uploadEncrypted } from './upload';

// The JS path of the submit form: everything is encrypted here, before a byte leaves the
// device; the server receives ciphertext, a sealed content key and the hash of a token.

const CONTENT_KEY_BYTES = 32;

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
  const { text, files, answers } = data;

  panel.say(t('preparing'));
  await nextFrame(); // Argon2id (64 MiB) blocks the thread for a moment: show why first
  const receipt = generateReceipt();
  const source = deriveSourceKeys(receipt);

  const intake = await getIntakeKey();
  panel.say(`${t('intakeKey')} ${intake.fingerprint}`);
  const contentKey = randomBytes(CONTENT_KEY_BYTES);

  const attachments: SubmissionAttachment[] = [];
  for (const [i, file] of files.entries()) {
    const subkeyId = i + 1;
    const label = `${file.name} (${i + 1}/${files.length})`;
    panel.say(`${t('encrypting')} ${label}`);
    const encrypted = await encryptFile(file, attachmentKey(contentKey, subkeyId), (f) =>
      panel.progress(f),
    );
    panel.say(`${t('uploading')} ${label}`);
    const uploadId = await uploadEncrypted(encrypted.blob, (sent, total) =>
      panel.progress(sent / total),
    );
    attachments.push({
      uploadId,
      name: file.name,
      type: file.type || 'application/octet-stream',
      size: file.size,
      sha256: encrypted.sha256,
      subkeyId,
    });
  }

  panel.say(t('sending'));
  panel.progress(null);
  const { envelope } = buildSubmission({
    intakePublicKey: fromBase64(intake.publicKey),
    manifest: {
      text,
      lang: document.documentElement.lang || undefined,
      answers: Object.keys(answers).length > 0 ? answers : undefined,
      sourcePublicKey: toBase64(source.keyPair.publicKey),
      attachments: attachments.length > 0 ? attachments : undefined,
    },
    sourceToken: source.token,
    contentKey,
  });
  await postSubmission(envelope);

  form.reset(); // the testimony leaves the page once it is safely sent
  form.hidden = true;
  panel.say(t('done'));
  panel.result.replaceChildren(receiptBlock(receipt, t('receiptTitle'), t('receiptNote')));
}
