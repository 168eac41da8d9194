// The offline runner: the VS Code test suite inside code-server (a real VS Code 1.100: server,
// Node extension host and web workbench) driven through headless Chromium, then the UI smoke
// test, which uses the workbench as a person would and saves screenshots to test-results/.
// Needs no download at test time: code-server comes from the npm registry (cached under
// .cache/), Chromium from the system.
//
// Usage: node scripts/vscode/runOffline.mjs [--suite-only | --ui-only]
// KSL_VSCODE_DEBUG=1 also prints the workbench's console.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { tsImport } from 'tsx/esm/api';
import { launchChromium } from './chromium.mjs';
import { startCodeServer, workbenchUrl } from './codeServer.mjs';
import { buildSuite } from './buildSuite.mjs';
import { CODE_SERVER_VERSION, codeServerEntry, ensureCodeServer } from './installCodeServer.mjs';
import { printResults, readResults, resultsPassed, RESULTS_FILE_ENV } from './suiteResults.mjs';
import { makeTestDirs, REPO_ROOT } from './testDirs.mjs';

const RESULTS_DIR = join(REPO_ROOT, 'test-results');
/** The whole suite takes about a minute; this bounds a hang. */
const SUITE_TIMEOUT_MS = 10 * 60_000;
const RESULTS_POLL_MS = 500;
const RUNNER = `offline runner: code-server ${CODE_SERVER_VERSION} in headless Chromium`;

function buildExtension() {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'build.mjs')], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('the extension did not build');
}

/** Keeps VS Code's own logs of a failed run, for whoever looks into it. */
function keepLogs(dirs, name) {
  const target = join(RESULTS_DIR, 'logs', name);
  rmSync(target, { recursive: true, force: true });
  if (existsSync(join(dirs.userDataDir, 'logs'))) cpSync(join(dirs.userDataDir, 'logs'), target, { recursive: true });
  if (existsSync(join(dirs.root, 'code-server.log'))) cpSync(join(dirs.root, 'code-server.log'), join(target, 'code-server.log'));
  console.log(`VS Code's logs are in ${target}`);
}

/**
 * Opens one workbench in a fresh code-server and Chromium, hands the page to `use`, and tears
 * everything down afterwards, whatever happened. `use` returns whether the run passed.
 */
async function withWorkbench(name, { testsPath, env = {} }, use) {
  const dirs = makeTestDirs(name);
  let server;
  let browser;
  let passed = false;
  try {
    server = await startCodeServer({
      entry: codeServerEntry(),
      workspace: dirs.workspace,
      userDataDir: dirs.userDataDir,
      extensionsDir: dirs.extensionsDir,
      env,
      logFile: join(dirs.root, 'code-server.log'),
    });
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (err) => console.log(`[workbench] page error: ${err.message}`));
    // The workbench's console, with the extension host's (Mocha's spec reporter among it), for debugging.
    if (process.env.KSL_VSCODE_DEBUG) page.on('console', (m) => console.log(`[workbench] ${m.text()}`));
    await page.goto(workbenchUrl(server.origin, { workspace: dirs.workspace, extensionDir: REPO_ROOT, testsPath }));
    passed = await use({ page, server, dirs });
    return passed;
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    if (!passed) keepLogs(dirs, name);
    dirs.remove();
  }
}

/** Waits for the results file, until the deadline or until code-server exits: { results } or { why }. */
async function waitForResults(file, server) {
  let serverGone = false;
  void server.exited.then(() => (serverGone = true));
  const deadline = Date.now() + SUITE_TIMEOUT_MS;
  while (Date.now() < deadline && !serverGone) {
    const results = readResults(file);
    if (results) return { results };
    await sleep(RESULTS_POLL_MS);
  }
  const results = readResults(file);
  return results ? { results } : { why: serverGone ? 'code-server exited' : `nothing after ${SUITE_TIMEOUT_MS / 60_000} minutes` };
}

async function runSuite() {
  const testsPath = await buildSuite();
  const resultsFile = join(RESULTS_DIR, 'vscode-suite.json');
  rmSync(resultsFile, { force: true });
  console.log(`Running the VS Code suite (${RUNNER})`);
  return withWorkbench('suite', { testsPath, env: { [RESULTS_FILE_ENV]: resultsFile } }, async ({ server }) => {
    const { results, why } = await waitForResults(resultsFile, server);
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
