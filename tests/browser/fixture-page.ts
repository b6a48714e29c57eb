import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { APP_BUNDLE } from '../../browser/build';

// A stand-in for the server-rendered page (server/page/) while it does not exist: the same
// form ids (browser/BROWSER.md), served at the app's own origin through request routing, under
// the CSP the bundle needs. When GET / answers with the real page, the tests use that instead.

export const BUNDLE_CSP = (nonce: string) =>
  [
    "default-src 'none'",
    `script-src 'nonce-${nonce}' 'wasm-unsafe-eval'`,
    "connect-src 'self'",
    `style-src 'nonce-${nonce}'`,
    "img-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');

const NONCE = 'fixturenonce0123';

const HTML = `<!doctype html>
<html lang="ko"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>소리 — 증언 제출</title>
<style nonce="${NONCE}">body{font-family:sans-serif;margin:0 auto;max-width:40rem;padding:1rem}
textarea,input,select{width:100%;box-sizing:border-box}</style>
<script src="/assets/app.js" nonce="${NONCE}" defer></script></head>
<body><h1>소리: 안전한 증언 제출</h1>
<form id="submit-form" method="post" action="/submit" enctype="multipart/form-data">
<label>증언 <textarea name="text" rows="6"></textarea></label>
<fieldset><legend>어떤 일을 했습니까?</legend>
<label><input type="radio" name="sector" value="construction"> 건설</label>
<label><input type="radio" name="sector" value="logging"> 벌목</label></fieldset>
<label>하루에 보통 몇 시간 일했습니까? <input name="hours_per_day" inputmode="numeric"></label>
<fieldset><legend>여권을 다른 사람이 가지고 있었습니까?</legend>
<label><input type="radio" name="passport_held" value="yes"> 예</label>
<label><input type="radio" name="passport_held" value="no"> 아니오</label></fieldset>
<fieldset><legend>어떤 감시나 통제가 있었습니까?</legend>
<label><input type="checkbox" name="surveillance" value="group_travel_only"> 혼자 다닐 수 없음</label>
<label><input type="checkbox" name="surveillance" value="self_criticism"> 생활총화</label></fieldset>
<label>사진·파일 <input type="file" name="files" multiple></label>
<button type="submit">보내기</button></form>
<form id="return-form" method="post" action="/return">
<label>영수증 번호 <input name="receipt" autocomplete="off"></label>
<button type="submit">확인</button></form></body></html>`;

export async function hasRealPage(appUrl: string): Promise<boolean> {
  const res = await fetch(`${appUrl}/`);
  return res.ok && (await res.text()).includes('/assets/app.js');
}

/** Serves the fixture page and the built bundle at appUrl; the API stays the real app. */
export async function routeFixturePage(page: Page, appUrl: string): Promise<void> {
  const bundle = readFileSync(APP_BUNDLE);
  await page.route(`${appUrl}/`, (route) =>
    route.fulfill({
      status: 200,
      headers: {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': BUNDLE_CSP(NONCE),
      },
      body: HTML,
    }),
  );
  await page.route(`${appUrl}/assets/app.js`, (route) =>
    route.fulfill({ status: 200, headers: { 'content-type': 'text/javascript' }, body: bundle }),
  );
}

/** Opens the submission page (the real one when it exists) and waits for the script. */
export async function openPage(page: Page, appUrl: string, path = '/', js = true): Promise<void> {
  if (await hasRealPage(appUrl)) await page.goto(`${appUrl}${path}`);
  else {
    await routeFixturePage(page, appUrl);
    await page.goto(`${appUrl}/`); // the fixture holds both forms on one page
  }
  if (js) await page.waitForSelector('html[data-sori-js="ready"]', { timeout: 15_000 });
}
