// Elements built with text nodes only: nothing decrypted is ever parsed as HTML.

type Child = Node | string | null | undefined | false;
type Attrs = Record<string, string | boolean | ((e: Event) => void) | undefined>;

export function h(
  tag: string,
  attrs: Attrs = {},
  ...children: Array<Child | Child[]>
): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return el;
}

let ids = 0;
export const uid = (p: string): string => `${p}-${++ids}`;

/** A label bound to its control, so screen readers and clicks find it. */
export function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  const id = control.id || uid('f');
  control.id = id;
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label),
    control,
    hint ? h('p', { class: 'hint' }, hint) : null,
  );
}

export function options(values: Array<[string, string]>, selected = ''): HTMLElement[] {
  return values.map(([v, label]) => h('option', { value: v, selected: v === selected }, label));
}
