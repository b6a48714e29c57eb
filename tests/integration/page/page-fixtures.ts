import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { createLogger } from '../../../core/logger';
import type { Questionnaire } from '../../../core/questionnaire';
import { sourcePagesRouter, type SourcePagesDeps } from '../../../server/page';
import type { TestApp } from '../../support/app';

// Helpers for the page tests: real HTTP, real multipart as a browser sends it.

export interface Page {
  status: number;
  headers: Headers;
  html: string;
}

export async function getPage(url: string): Promise<Page> {
  const res = await fetch(url, { redirect: 'manual' });
  return { status: res.status, headers: res.headers, html: await res.text() };
}

export async function postForm(url: string, body: FormData | URLSearchParams): Promise<Page> {
  const res = await fetch(url, { method: 'POST', body, redirect: 'manual' });
  return { status: res.status, headers: res.headers, html: await res.text() };
}

export async function postRaw(
  url: string,
  contentType: string,
  body: string | Buffer,
): Promise<Page> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: typeof body === 'string' ? body : new Uint8Array(body),
    redirect: 'manual',
  });
  return { status: res.status, headers: res.headers, html: await res.text() };
}

/** A small real JPEG with a recognisable pixel pattern. */
export async function tinyJpeg(): Promise<Buffer> {
  return sharp({ create: { width: 32, height: 24, channels: 3, background: '#c03a2b' } })
    .jpeg({ quality: 90 })
    .toBuffer();
}

/** The receipt as the page shows it: five groups of four digits inside #receipt. */
export function receiptFrom(html: string): string | null {
  const block = /<p class="digits" id="receipt"[^>]*>([\s\S]*?)<\/p>/.exec(html)?.[1];
  const groups = block ? [...block.matchAll(/<span class="group">(\d{4})<\/span>/g)] : [];
  return groups.length === 5 ? groups.map((g) => g[1]).join('-') : null;
}

/** One answer of each type the form can post, taken from the questionnaire in use. */
export function sampleAnswers(def: Questionnaire): {
  fields: [string, string][];
  expected: Record<string, unknown>;
} {
  const questions = def.sections.flatMap((s) => s.questions);
  const fields: [string, string][] = [];
  const expected: Record<string, unknown> = {};
  const of = (type: string) => questions.find((q) => q.type === type);
  const single = of('single');
  if (single?.options?.[0]) {
    fields.push([single.id, single.options[0].id]);
    expected[single.id] = single.options[0].id;
  }
  const multi = of('multi');
  if (multi?.options && multi.options.length >= 2) {
    const [a, b] = [multi.options[0]!.id, multi.options[1]!.id];
    fields.push([multi.id, a], [multi.id, b]);
    expected[multi.id] = [a, b];
  }
  const yesno = of('yesno');
  if (yesno) {
    fields.push([yesno.id, 'yes']);
    expected[yesno.id] = true;
  }
  const number = questions.find(
    (q) => q.type === 'number' && (q.min ?? 0) <= 12 && (q.max ?? 99) >= 12,
  );
  if (number) {
    fields.push([number.id, '１２']); // full-width digits, as a Korean keyboard may type
    expected[number.id] = 12;
  }
  const text = of('text');
  if (text) {
    fields.push([text.id, '러시아 연해주']);
    expected[text.id] = '러시아 연해주';
  }
  return { fields, expected };
}

/** The CSP every page carries; the nonce is per response. */
export const CSP =
  /^default-src 'none'; script-src 'nonce-([A-Za-z0-9_-]{22})' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'$/;

/** The page router alone, on its own listener, with its gate or progress check sized for a test. */
export async function pagesWith(
  app: TestApp,
  options: Pick<SourcePagesDeps, 'nojsGate' | 'formProgress'>,
): Promise<{ url: string; close(): Promise<void> }> {
  const pages = express();
  pages.use(
    sourcePagesRouter({
      seal: app.services.seal,
      sources: app.services.sources,
      log: createLogger({ level: 'silent' }),
      config: app.config,
      ...options,
    }),
  );
  const server: Server = await new Promise((resolve) => {
    const s = pages.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
