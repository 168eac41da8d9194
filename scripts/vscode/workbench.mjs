// One VS Code workbench on this machine without a download: a fresh code-server (a real VS Code
// 1.100) on loopback with this repository as a development extension, opened in headless
// Chromium. The offline test runner and the activation benchmark both use it.
import { cpSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { launchChromium } from './chromium.mjs';
import { startCodeServer, workbenchUrl } from './codeServer.mjs';
import { codeServerEntry } from './installCodeServer.mjs';
import { readResults } from './suiteResults.mjs';
import { makeTestDirs, REPO_ROOT } from './testDirs.mjs';

export const RESULTS_DIR = join(REPO_ROOT, 'test-results');
const RESULTS_POLL_MS = 500;

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
export async function withWorkbench(name, { testsPath, env = {} }, use) {
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

/** Waits for the results file the code in the extension host writes, until `timeoutMs` or until code-server exits: { results } or { why }. */
export async function waitForResults(file, server, timeoutMs) {
  let serverGone = false;
  void server.exited.then(() => (serverGone = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !serverGone) {
    const results = readResults(file);
    if (results) return { results };
    await sleep(RESULTS_POLL_MS);
  }
  const results = readResults(file);
  return results ? { results } : { why: serverGone ? 'code-server exited' : `nothing after ${timeoutMs / 1000} s` };
}

