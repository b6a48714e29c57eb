import { build } from 'esbuild';
import { statSync } from 'node:fs';
import { join } from 'node:path';

// The page script bundle: crypto/portable + tus-js-client + browser/, one IIFE with the
// libsodium WASM inlined (see BROWSER.md for the CSP it needs).

const ROOT = join(__dirname, '..');
export const APP_BUNDLE = join(ROOT, 'public', 'assets', 'app.js');

export async function buildBrowserBundle(
  entry = join(ROOT, 'browser', 'app.ts'),
  outfile = APP_BUNDLE,
): Promise<{ outfile: string; bytes: number; inputs: string[] }> {
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    legalComments: 'eof', // libsodium's ISC and tus's MIT notices stay with the code
    sourcemap: false,
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"' },
    metafile: true, // the inputs, so a test can prove the native addon stays out
  });
  const inputs = Object.keys(result.metafile.inputs);
  return { outfile, bytes: statSync(outfile).size, inputs };
}

if (require.main === module) {
  buildBrowserBundle()
    .then(({ outfile, bytes }) => console.log(`${outfile}: ${Math.round(bytes / 1024)} KiB`))
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
