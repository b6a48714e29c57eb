import { call } from './api';
import { h, field, options } from './dom';
import { STATUSES, statusLabel, t } from './i18n';

// Admin screens: reviewers (enrol, revoke), retention per status, files held back.

interface Overview {
  reviewers: Array<{
    id: string;
    name: string;
    role: string;
    enrolledOn: string | null;
    revokedOn: string | null;
  }>;
  retention: Array<{ status: string; days: number }>;
  heldBack: Array<{
    caseId: string;
    recordId: string;
    name: string;
    size: number;
    reason: string;
    kept: boolean;
  }>;
}

/** `go` navigates to a hash and renders it again (app.ts's, passed in to keep the import one-way). */
export async function adminView(go: (hash: string) => void): Promise<HTMLElement> {
  const o = await call<Overview>('GET', '/api/admin');
  const me = (await call<{ reviewer: { name: string } | null }>('GET', '/api/state')).reviewer
    ?.name;
  const status = h('p', { role: 'status', class: 'status' });
  const run = async (f: () => Promise<unknown>) => {
    try {
      await f();
      go('#/admin');
    } catch (err) {
      status.textContent = (err as Error).message;
      status.className = 'status error';
    }
  };
  const name = h('input', { type: 'text', name: 'name' }) as HTMLInputElement;
  const role = h(
    'select',
    { name: 'role' },
    options([
      ['reviewer', t('reviewerRole')],
      ['admin', t('adminRole')],
    ]),
  ) as HTMLSelectElement;
  const box = h('input', { type: 'text', name: 'box' }) as HTMLInputElement;
  const sign = h('input', { type: 'text', name: 'sign' }) as HTMLInputElement;
  const days = new Map(o.retention.map((p) => [p.status, p.days]));
  const dayInputs = STATUSES.map(
    (s) =>
      [
        s,
        h('input', {
          type: 'number',
          min: '1',
          value: days.has(s) ? String(days.get(s)) : '',
        }) as HTMLInputElement,
      ] as const,
  );
  return h(
    'section',
    { class: 'admin' },
    h('h1', {}, t('admin')),
    status,
    h('h2', {}, t('reviewers')),
    h(
      'table',
      {},
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, t('name')),
          h('th', { scope: 'col' }, t('role')),
          h('th', { scope: 'col' }, t('enrolled')),
          h('th', { scope: 'col' }, ''),
        ),
      ),
      h(
        'tbody',
        {},
        o.reviewers.map((r) =>
          h(
            'tr',
            {},
            h('td', {}, r.name),
            h('td', {}, r.role === 'admin' ? t('adminRole') : t('reviewerRole')),
            h('td', {}, r.revokedOn ? `${t('revoked')} ${r.revokedOn}` : (r.enrolledOn ?? '')),
            h(
              'td',
              {},
              r.revokedOn || r.name === me
                ? ''
                : h(
                    'button',
                    {
                      type: 'button',
                      class: 'danger',
                      onclick: () => {
                        // Revocation is immediate and cannot be undone from here: ask first.
                        if (!window.confirm(t('confirmRevoke').replace('{name}', r.name))) return;
                        void run(() => call('POST', `/api/admin/reviewers/${r.id}/revoke`, {}));
                      },
                    },
                    `${t('revoke')} ${r.name}`,
                  ),
            ),
          ),
        ),
      ),
    ),
    h(
      'form',
      {
        class: 'card',
        onsubmit: (e: Event) => {
          e.preventDefault();
          void run(() =>
            call('POST', '/api/admin/reviewers', {
              name: name.value,
              role: role.value,
              box: box.value,
              sign: sign.value,
            }),
          );
        },
      },
      h('h2', {}, t('enrol')),
      field(t('name'), name),
      field(t('role'), role),
      field(t('boxKey'), box),
      field(t('signKey'), sign),
      h('button', { type: 'submit', class: 'primary' }, t('enrol')),
    ),
    h(
      'form',
      {
        class: 'card',
        onsubmit: (e: Event) => {
          e.preventDefault();
          const policies = dayInputs
            .filter(([, i]) => i.value)
            .map(([s, i]) => ({ status: s, days: Number(i.value) }));
          void run(() => call('PUT', '/api/admin/retention', { policies }));
        },
      },
      h('h2', {}, t('retention')),
      h('p', { class: 'hint' }, t('keptForever')),
      dayInputs.map(([s, i]) => field(statusLabel(s), i)),
      h('button', { type: 'submit', class: 'primary' }, t('saveRetention')),
    ),
    h('h2', {}, t('heldBackFiles')),
    o.heldBack.length
      ? h(
          'ul',
          {},
          o.heldBack.map((f) =>
            h(
              'li',
              {},
              h('a', { href: `#/case/${f.caseId}` }, f.name),
              ` — ${f.reason}, ${f.kept ? t('keptForAdmins') : t('notKept')}`,
            ),
          ),
        )
      : h('p', {}, t('none')),
  );
}
