// The offline runner: the VS Code test suite inside code-server (a real VS Code 1.100: server,
// Node extension host and web workbench) driven through headless Chromium, then the UI smoke
// test, which uses the workbench as a person would and saves screenshots to test-results/.
// Needs no download at test time: code-server comes from the npm registry (cached under
// .cache/), Chromium from the system.
//
// Usage: node scripts/vscode/runOffline.mjs [--suite-only | --ui-only]
// KSL_VSCODE_DEBUG=1 also prints the workbench's console.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tsImport } from 'tsx/esm/api';
import { buildSuite } from './buildSuite.mjs';
import { CODE_SERVER_VERSION, ensureCodeServer } from './installCodeServer.mjs';
import { printResults, resultsPassed, RESULTS_FILE_ENV } from './suiteResults.mjs';
import { REPO_ROOT } from './testDirs.mjs';
import { RESULTS_DIR, waitForResults, withWorkbench } from './workbench.mjs';

/** The whole suite takes about a minute; this bounds a hang. */
const SUITE_TIMEOUT_MS = 10 * 60_000;
const RUNNER = `offline runner: code-server ${CODE_SERVER_VERSION} in headless Chromium`;

function buildExtension() {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'build.mjs')], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('the extension did not build');
}

async function runSuite() {
  const testsPath = await buildSuite();
  const resultsFile = join(RESULTS_DIR, 'vscode-suite.json');
  rmSync(resultsFile, { force: true });
  console.log(`Running the VS Code suite (${RUNNER})`);
  return withWorkbench('suite', { testsPath, env: { [RESULTS_FILE_ENV]: resultsFile } }, async ({ server }) => {
    const { results, why } = await waitForResults(resultsFile, server, SUITE_TIMEOUT_MS);
    if (!results) {
      console.error(`The suite did not run: no results in ${resultsFile} (${why}).`);
      return false;
    }
    printResults(results, RUNNER);
    return resultsPassed(results);
  });
}

async function runUiSmoke() {
  const screenshots = join(RESULTS_DIR, 'screenshots');
  rmSync(screenshots, { recursive: true, force: true });
  mkdirSync(screenshots, { recursive: true });
  const { runWorkbenchSmoke } = await tsImport('../../test/vscode/ui/workbenchSmoke.ts', import.meta.url);
  console.log('Running the UI smoke test');
  return withWorkbench('ui', {}, async ({ page }) => {
    const outcome = await runWorkbenchSmoke(page, { screenshots });
    for (const c of outcome.checks) console.log(`  ${c.passed ? '✔' : '✘'} ${c.name}${c.passed ? '' : `: ${c.detail}`}`);
    console.log(`UI smoke test: ${outcome.checks.filter((c) => c.passed).length} of ${outcome.checks.length} checks passed; screenshots in ${screenshots}`);
    return outcome.checks.length > 0 && outcome.checks.every((c) => c.passed);
  });
}

async function main() {
  const only = process.argv[2];
  buildExtension();
  ensureCodeServer();
  let ok = true;
  if (only !== '--ui-only') ok = (await runSuite()) && ok;
  if (only !== '--suite-only') ok = (await runUiSmoke()) && ok;
  return ok;
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    console.error(`Stopped by ${signal}.`);
    // The exit handlers of codeServer.mjs and playwright end the server and the browser.
    process.exit(1);
  });
}

main().then(
  (ok) => process.exit(ok ? 0 : 1),
  (err) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  },
);
