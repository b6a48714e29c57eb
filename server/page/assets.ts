import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Router, type Response } from 'express';
import { randomBytes, toBase64 } from '../../crypto';

// Self-hosted assets and the page's CSP: nothing is loaded from anywhere but this origin, the
// script tag only while the built bundle exists, and nothing is cached (server/page/PAGE.md).

/** server/page/assets beside this file in the source tree (and in dist, if the build copies it). */
function firstExisting(candidates: string[]): string {
  return candidates.find((p) => existsSync(p)) ?? (candidates[0] as string);
}

const ASSETS_DIR = firstExisting([
  join(__dirname, 'assets'),
  resolve(__dirname, '../../../server/page/assets'),
]);
const BUNDLE_CANDIDATES = [
  resolve(__dirname, '../../public/assets/app.js'),
  resolve(__dirname, '../../../public/assets/app.js'),
];

export function bundlePath(): string | null {
  return BUNDLE_CANDIDATES.find((p) => existsSync(p)) ?? null;
}

/**
 * One policy for every page. 'wasm-unsafe-eval' lets the bundle compile libsodium's WASM
 * (it allows no eval); connect-src 'self' is its fetch/tus to /v1/*. Without the bundle no
 * script carries the nonce, so nothing runs.
 */
export function pageCsp(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}' 'wasm-unsafe-eval'`,
    "style-src 'self'",
    "img-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** A fresh nonce (128 bits from libsodium) per response, and the headers every page carries. */
export function preparePage(res: Response): string {
  const nonce = toBase64(randomBytes(16));
  res.setHeader('Content-Security-Policy', pageCsp(nonce));
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  return nonce;
}

export function assetsRouter(): Router {
  const router = Router();
  const css = readFileSync(join(ASSETS_DIR, 'page.css'));
  router.get('/assets/page.css', (_req, res) => {
    res.type('text/css; charset=utf-8').send(css);
  });
  router.get('/assets/app.js', (_req, res, next) => {
    const path = bundlePath();
    if (!path) return next(); // → the JSON 404 of the API
    res.type('text/javascript; charset=utf-8').send(readFileSync(path));
  });
  return router;
}
