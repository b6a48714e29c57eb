import {
  attachmentKey,
  buildSubmission,
  fromBase64,
  randomBytes,
  toBase64,
  type SourceKeys,
  type SubmissionAttachment,
} from '../crypto/portable';
import type { AnswerValue } from './answers';
import { getIntakeKey, postSubmission } from './api';
import { encryptFile } from './encrypt-file';
import { t } from './messages';
import type { StatusPanel } from './ui';
import { uploadEncrypted } from './upload';

// Encrypt on the device and send: every file through its own sub-key and tus, then the
// manifest sealed to the intake key, under the source's token. The submit form and the
// "add more" form both end here, so the server only ever receives ciphertext.

const CONTENT_KEY_BYTES = 32;

export interface Testimony {
  text: string;
  files: File[];
  answers?: Record<string, AnswerValue>;
}

export async function encryptAndSend(
  testimony: Testimony,
  source: SourceKeys,
  panel: StatusPanel,
): Promise<{ id: string }> {
  const { text, files, answers } = testimony;
  const intake = await getIntakeKey();
  panel.say(`${t('intakeKey')} ${intake.fingerprint}`);
  const contentKey = randomBytes(CONTENT_KEY_BYTES);
  try {
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
        answers: answers && Object.keys(answers).length > 0 ? answers : undefined,
        sourcePublicKey: toBase64(source.keyPair.publicKey),
        attachments: attachments.length > 0 ? attachments : undefined,
      },
      sourceToken: source.token,
      contentKey,
    });
    return await postSubmission(envelope);
  } finally {
    contentKey.fill(0);
  }
}
