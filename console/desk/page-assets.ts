import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// The page ships with the console: HTML and CSS as files beside this module, the script either
// prebuilt (npm run build puts desk.js next to them) or bundled here from page/app.ts when
// running from source. Nothing is ever fetched from the review server or anywhere else.

export interface PageAssets {
  html: string;
  css: string;
  js: string;
}

const PAGE_DIR = join(__dirname, 'page');

export async function bundlePageScript(): Promise<string> {
  // esbuild is a build-time tool: required only when no prebuilt bundle sits beside us.
  const { build } = await import('esbuild');
  const out = await build({
    entryPoints: [join(PAGE_DIR, 'app.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    logLevel: 'warning',
  });
  return out.outputFiles[0]!.text;
}

export async function loadPageAssets(): Promise<PageAssets> {
  const prebuilt = join(PAGE_DIR, 'desk.js');
  return {
    html: readFileSync(join(PAGE_DIR, 'index.html'), 'utf8'),
    css: readFileSync(join(PAGE_DIR, 'desk.css'), 'utf8'),
    js: existsSync(prebuilt) ? readFileSync(prebuilt, 'utf8') : await bundlePageScript(),
  };
}
