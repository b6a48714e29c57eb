import {
  deriveSourceKeys,
  fromBase64,
  isCryptoError,
  normaliseReceipt,
  openReply,
  toBase64,
  type BoxKeyPair,
} from '../crypto/portable';
import { postReplies, postStatus, type SealedReply, type SubmissionSummary } from './api';
import { t, type MessageKey } from './messages';
import { PAGE } from './page-ids';
import { el, nextFrame, type StatusPanel } from './ui';

// Coming back with a receipt: the keys are derived here, only the token goes to the server,
// and replies are opened here with the secret key that never leaves the page.

export async function checkReceipt(form: HTMLFormElement, panel: StatusPanel): Promise<void> {
  const field = form.elements.namedItem(PAGE.receiptField);
  const input = field instanceof HTMLInputElement ? field : null;
  let receipt: string;
  try {
    receipt = normaliseReceipt(input?.value ?? '');
  } catch (err) {
    if (isCryptoError(err)) return panel.say(t('badReceipt'));
    throw err;
  }
  if (input) input.value = ''; // not left in the page for the next person at this screen

  panel.say(t('checking'));
  await nextFrame();
  const source = deriveSourceKeys(receipt);
  const token = toBase64(source.token);
  const [{ submissions }, { replies }] = await Promise.all([postStatus(token), postReplies(token)]);
  panel.say('');
  panel.result.replaceChildren(statusList(submissions), replyList(replies, source.keyPair));
}

function statusList(submissions: SubmissionSummary[]): HTMLElement {
  const section = el('section', { id: 'status-result' });
  section.append(el('h2', {}, t('statusTitle')));
  const list = el('ul');
  for (const s of submissions) {
    const key = `status_${s.status}` as MessageKey;
    const item = el('li', { 'data-status': s.status }, `${s.receivedOn ?? ''} · ${t(key)}`);
    list.append(item);
  }
  section.append(list);
  return section;
}

function replyList(replies: SealedReply[], keyPair: BoxKeyPair): HTMLElement {
  const section = el('section', { id: 'replies-result' });
  section.append(el('h2', {}, t('repliesTitle')));
  if (replies.length === 0) section.append(el('p', {}, t('noReplies')));
  for (const r of replies) {
    const item = el('article', { class: 'reply', 'data-reply-id': r.id });
    item.append(el('p', { class: 'reply-date' }, r.createdOn));
    try {
      const message = openReply<{ v?: number; text?: unknown }>(fromBase64(r.sealed), keyPair);
      const text = typeof message.text === 'string' ? message.text : '';
      item.append(el('p', { class: 'reply-text' }, text));
    } catch (err) {
      if (!isCryptoError(err)) throw err;
      // Said, not hidden: a reply that does not open is shown as such, with its code.
      item.append(el('p', { class: 'reply-error', 'data-code': err.code }, t('replyUnreadable')));
    }
    section.append(item);
  }
  return section;
}
