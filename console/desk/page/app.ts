import { call, takePageSecret } from './api';
import { adminView } from './admin-view';
import { caseScreen } from './case-screen';
import { h, field } from './dom';
import { lang, setLang, t } from './i18n';
import { inboxView } from './inbox-view';

// The desk page: one script, shipped with the console. It keeps nothing decrypted in storage
// (only the chosen language in localStorage) and asks its own desk process for everything.

interface State {
  unlocked: boolean;
  lockedBecause: 'idle' | 'asked' | null;
  reviewer: { name: string; role: string } | null;
}

const root = (): HTMLElement => document.getElementById('app')!;
let state: State = { unlocked: false, lockedBecause: null, reviewer: null };

export function go(hash: string): void {
  if (location.hash === hash) void render();
  else location.hash = hash;
}

function header(): HTMLElement {
  const nav = state.unlocked
    ? h(
        'nav',
        { 'aria-label': t('title') },
        h('a', { href: '#/' }, t('inbox')),
        state.reviewer?.role === 'admin' ? h('a', { href: '#/admin' }, t('admin')) : null,
      )
    : null;
  return h(
    'header',
    { class: 'top' },
    h('span', { class: 'brand' }, t('title')),
    nav,
    h(
      'div',
      { class: 'top-actions' },
      state.reviewer ? h('span', { class: 'who' }, state.reviewer.name) : null,
      h(
        'button',
        {
          type: 'button',
          class: 'ghost',
          lang: lang() === 'ko' ? 'en' : 'ko',
          onclick: () => {
            setLang(lang() === 'ko' ? 'en' : 'ko');
            void render();
          },
        },
        t('langSwitch'),
      ),
      state.unlocked
        ? h('button', { type: 'button', id: 'lock', onclick: () => void lockNow() }, t('lock'))
        : null,
    ),
  );
}

function unlockView(): HTMLElement {
  const input = h('input', {
    type: 'password',
    name: 'passphrase',
    autocomplete: 'current-password',
    required: true,
  }) as HTMLInputElement;
  const status = h('p', { role: 'status', class: 'status' });
  const notice =
    state.lockedBecause === 'idle'
      ? t('lockedIdle')
      : state.lockedBecause === 'asked'
        ? t('lockedAsked')
        : null;
  const form = h(
    'form',
    {
      class: 'unlock card',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        status.textContent = t('unlocking');
        // One unlock at a time: opening the key file takes a second or two on purpose (Argon2id).
        const button = (e.target as HTMLFormElement).querySelector('button');
        if (button) button.disabled = true;
        try {
          await call('POST', '/api/unlock', { passphrase: input.value });
          input.value = '';
          await refreshState();
          go('#/');
        } catch (err) {
          status.textContent = (err as Error).message;
          status.className = 'status error';
          if (button) button.disabled = false;
        }
      },
    },
    h('h1', {}, t('unlockTitle')),
    notice ? h('p', { class: 'notice' }, notice) : null,
    h('p', {}, t('unlockHelp')),
    field(t('passphrase'), input),
    h('button', { type: 'submit', class: 'primary' }, t('unlock')),
    status,
  );
  setTimeout(() => input.focus(), 0);
  return form;
}

async function refreshState(): Promise<void> {
  state = await call<State>('GET', '/api/state');
}

async function lockNow(): Promise<void> {
  await call('POST', '/api/lock', {});
  await refreshState();
  void render();
}

export async function render(): Promise<void> {
  document.documentElement.lang = lang();
  document.title = t('title');
  const main = h('main', { id: 'main' });
  root().replaceChildren(header(), main);
  if (!state.unlocked) {
    main.append(unlockView());
    return;
  }
  const path = location.hash.replace(/^#/, '') || '/';
  const caseMatch = /^\/case\/([0-9a-f-]{36})$/.exec(path);
  try {
    if (caseMatch) main.append(await caseScreen(caseMatch[1]!));
    else if (path === '/admin') main.append(await adminView(go));
    else main.append(await inboxView());
  } catch (err) {
    if ((err as { status?: number }).status === 423) {
      await refreshState();
      return render();
    }
    main.append(
      h('p', { class: 'status error', role: 'alert' }, `${t('error')}: ${(err as Error).message}`),
    );
  }
}

// The lock is the desk process's: the page only notices it (every two seconds, which does not
// count as activity) and replaces whatever it shows with the unlock form.
async function watchLock(): Promise<void> {
  try {
    const before = state.unlocked;
    await refreshState();
    if (before && !state.unlocked) void render();
  } catch {
    // the desk was closed: nothing to show but what is there
  }
}

takePageSecret();
window.addEventListener('hashchange', () => void render());
document.addEventListener('DOMContentLoaded', async () => {
  await refreshState();
  await render();
  setInterval(() => void watchLock(), 1000);
});
