// Copies the UI smoke test's screenshots (test-results/screenshots/, written by the offline
// runner) to media/screenshots/, where the README shows them. `npm run screenshots` runs the
// UI smoke test and then this, so the README's pictures are refreshed, never edited by hand.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './testDirs.mjs';

/** The screenshots the README uses. */
const SCREENSHOTS = ['problems.png', 'hover.png', 'cluster-explorer.png'];

const from = join(REPO_ROOT, 'test-results', 'screenshots');
const to = join(REPO_ROOT, 'media', 'screenshots');
const missing = SCREENSHOTS.filter((f) => !existsSync(join(from, f)));
if (missing.length) {
  console.error(`Missing in ${from}: ${missing.join(', ')}. Run the UI smoke test first: node scripts/vscode/runOffline.mjs --ui-only`);
  process.exit(1);
}
mkdirSync(to, { recursive: true });
for (const f of SCREENSHOTS) copyFileSync(join(from, f), join(to, f));
console.log(`Copied ${SCREENSHOTS.join(', ')} to ${to}`);
