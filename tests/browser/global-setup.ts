import { existsSync } from 'node:fs';
import { buildBrowserBundle } from '../../browser/build';
import checkServices from '../support/global-setup';
import { CHROMIUM } from './browser-harness';

// The browser tier needs what the integration tier needs, Debian's Chromium, and the page
// script built from the current sources (public/assets/app.js, which the page serves).
export default async function globalSetup(): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: run \`bash scripts/ensure-services.sh\` (apt chromium)`,
    );
  }
  await checkServices();
  await buildBrowserBundle();
}
