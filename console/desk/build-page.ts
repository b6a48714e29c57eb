import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundlePageScript } from './page-assets';

// `npm run build:desk`: the desk page beside the compiled console (dist/console/desk/page/),
// so an installed `sori desk` serves a prebuilt script and needs no esbuild at run time.

const ROOT = join(__dirname, '..', '..');

export async function buildDeskPage(
  out = join(ROOT, 'dist', 'console', 'desk', 'page'),
): Promise<void> {
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'desk.js'), await bundlePageScript());
  for (const f of ['index.html', 'desk.css'])
    copyFileSync(join(__dirname, 'page', f), join(out, f));
}

if (require.main === module) {
  buildDeskPage().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
