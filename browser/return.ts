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
import { enhanceForm } from './enhance';
import { t, type MessageKey } from './messages';
import { PAGE } from './page-ids';
import { encryptAndSend } from './send';
import { el, nextFrame, type StatusPanel } from './ui';

// Coming back with a receipt: keys derived here, only the token sent, replies opened here with a
// secret key that never leaves the page. Added testimony is encrypted here too and posted as a
// new submission under the same source token (BROWSER.md).

/** The receipt typed in the form's receipt field, normalised, then wiped from the page. */
function takeReceipt(form: HTMLFormElement): string | null {
  const field = form.elements.namedItem(PAGE.receiptField);
  const input = field instanceof HTMLInputElement ? field : null;
  let receipt: string;
  try {
    receipt = normaliseReceipt(input?.value ?? '');
  } catch (err) {
    if (isCryptoError(err)) return null;
    throw err;
  }
  if (input) input.value = ''; // not left in the page for the next person at this screen
  return receipt;
}

export async function checkReceipt(form: HTMLFormElement, panel: StatusPanel): Promise<void> {
  const receipt = takeReceipt(form);
  if (receipt === null) return panel.say(t('badReceipt'));

  panel.say(t('checking'));
  await nextFrame();
  const source = deriveSourceKeys(receipt);
  const token = toBase64(source.token);
  const [{ submissions }, { replies }] = await Promise.all([postStatus(token), postReplies(token)]);
  // Nothing under this receipt is almost always a mistyped digit: say so, and how to check.
  if (submissions.length === 0 && replies.length === 0) {
    panel.result.replaceChildren();
    panel.say(t('notFound'));
    return panel.root.scrollIntoView({ block: 'nearest' });
  }
  panel.say('');
  panel.result.replaceChildren(statusList(submissions), replyList(replies, source.keyPair));
  if (submissions.length > 0) {
    const add = addFormBlock(form.getAttribute('action') ?? '/return');
    panel.result.append(add);
    enhanceForm(add, 'add-status', addTestimony);
  }
}

/**
 * The "add more" form on the JS path: text, files and the receipt asked again (never kept in
 * the page). It has the no-JS form's ids, names and action, so it still posts the plain way
 * should the script fail before intercepting it.
 */
function addFormBlock(returnAction: string): HTMLFormElement {
  const lang = /[?&]lang=([a-z]{2})/.exec(returnAction)?.[1];
  const form = el('form', {
    id: PAGE.addForm,
    method: 'post',
    action: `/return/reply${lang ? `?lang=${lang}` : ''}`,
    enctype: 'multipart/form-data',
    'accept-charset': 'UTF-8',
  });
  const field = (label: HTMLElement, input: HTMLElement): HTMLElement => {
    const box = el('div', { class: 'field' });
    box.append(label, input);
    return box;
  };
  const text = el('textarea', { id: 'add-text', name: PAGE.textField, rows: '6' });
  const files = el('input', { id: 'add-files', type: 'file', name: PAGE.filesField });
  files.multiple = true;
  const receipt = el('input', {
    id: 'add-receipt',
    type: 'text',
    name: PAGE.receiptField,
    inputmode: 'numeric',
    autocomplete: 'off',
    autocapitalize: 'off',
    spellcheck: 'false',
    maxlength: '64',
    required: '',
  });
  const button = el('button', { type: 'submit', id: 'add-button' }, t('addSubmit'));
  const submit = el('p');
  submit.append(button);
  form.append(
    el('h2', {}, t('addTitle')),
    field(el('label', { for: 'add-text' }, t('addText')), text),
    field(el('label', { for: 'add-files' }, t('addFiles')), files),
    field(el('label', { for: 'add-receipt' }, t('addReceipt')), receipt),
    submit,
  );
  if (lang) {
    const hidden = el('input', { type: 'hidden', name: 'lang', value: lang });
    form.prepend(hidden);
  }
  return form;
}

/** More testimony for the same case: encrypted here, sent under the same source token. */
export async function addTestimony(form: HTMLFormElement, panel: StatusPanel): Promise<void> {
  const data = new FormData(form);
  const text = data
    .getAll(PAGE.textField)
    .filter((v) => typeof v === 'string')
    .join('\n');
  const files = data
    .getAll(PAGE.filesField)
    .filter((v): v is File => typeof v !== 'string' && v.size > 0);
  const receipt = takeReceipt(form);
  if (receipt === null) return panel.say(t('badReceipt'));
  if (text.trim() === '' && files.length === 0) return panel.say(t('empty'));

  panel.say(t('preparing'));
  await nextFrame(); // Argon2id (64 MiB) blocks the thread for a moment: show why first
  const source = deriveSourceKeys(receipt);
  // A mistyped receipt would start a case its author can never find: refuse it, as the
  // no-JS form does.
  const { submissions } = await postStatus(toBase64(source.token));
  if (submissions.length === 0) return panel.say(t('noCase'));
  await encryptAndSend({ text, files }, source, panel);

  form.reset();
  form.hidden = true;
  panel.say(t('added'));
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
