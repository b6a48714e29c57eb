// DOM helpers. Text only ever goes in through textContent: a decrypted reply or a file name
// is data, never markup.

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A live status line and a progress bar placed after a form, created once. */
export class StatusPanel {
  readonly root: HTMLElement;
  private readonly line: HTMLElement;
  private readonly bar: HTMLProgressElement;
  readonly result: HTMLElement;

  constructor(after: HTMLElement, id: string) {
    const existing = document.getElementById(id);
    existing?.remove();
    this.root = el('div', { id, class: 'sori-js-status' });
    this.line = el('p', { role: 'status', 'aria-live': 'polite' });
    this.bar = el('progress', { max: '1', value: '0' });
    this.bar.hidden = true;
    this.result = el('div', { class: 'sori-js-result' });
    this.root.append(this.line, this.bar, this.result);
    after.after(this.root);
  }

  say(text: string): void {
    this.line.textContent = text;
  }

  progress(fraction: number | null): void {
    this.bar.hidden = fraction === null;
    if (fraction !== null) this.bar.value = Math.max(0, Math.min(1, fraction));
  }
}

/** Lets the browser paint a status before a long synchronous step (Argon2id). */
export const nextFrame = (): Promise<void> => new Promise((r) => setTimeout(r, 30));

/** The receipt, as the no-JS receipt page shows it: digits, lead, warnings, last step. */
export function receiptBlock(
  receipt: string,
  text: { title: string; lead: string; warnings: string[]; done: string },
): HTMLElement {
  const box = el('section', {
    id: 'receipt-result',
    'aria-labelledby': 'receipt-title',
    tabindex: '-1',
  });
  box.append(el('h2', { id: 'receipt-title' }, text.title), el('p', { class: 'lead' }, text.lead));
  const code = el('p', { class: 'receipt', lang: 'en', translate: 'no' });
  for (const group of receipt.split('-')) code.append(el('span', {}, group), ' ');
  const warnings = el('ul', { class: 'warnings' });
  text.warnings.forEach((w, i) => {
    const item = el('li');
    if (i === 0) item.append(el('strong', {}, w));
    else item.textContent = w;
    warnings.append(item);
  });
  const done = el('p');
  done.append(el('button', { type: 'button', id: 'receipt-done', class: 'button' }, text.done));
  box.append(code, warnings, done);
  return box;
}
