// `npm run test:vscode`: runs the VS Code test suite with whichever runner works here. The
// desktop runner (@vscode/test-electron) where VS Code can be downloaded (or is cached in
// .vscode-test/) and a window can be shown; the offline runner (code-server in headless
// Chromium, plus the UI smoke test) otherwise. KSL_VSCODE_RUNNER=electron|offline forces one.
// Either way the suite must run: a runner that could not run it fails, it never skips.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { canShowWindow } from './runElectron.mjs';
import { REPO_ROOT } from './testDirs.mjs';

const DOWNLOAD_HOST = 'update.code.visualstudio.com';
const PROBE_TIMEOUT_MS = 5_000;

/** Whether a VS Code that @vscode/test-electron downloaded earlier is in .vscode-test/. */
function desktopVsCodeCached() {
  const dir = join(REPO_ROOT, '.vscode-test');
  return existsSync(dir) && readdirSync(dir).some((d) => existsSync(join(dir, d, 'is-complete')));
}

/** Whether VS Code's download server answers, within a few seconds. */
function downloadReachable() {
  return new Promise((resolve) => {
    const req = request({ host: DOWNLOAD_HOST, path: '/api/releases/stable', method: 'HEAD', timeout: PROBE_TIMEOUT_MS }, (res) => {
      res.resume();
      resolve(res.statusCode !== undefined && res.statusCode < 500);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(false));
    req.end();
  });
}

async function pickRunner() {
  const forced = process.env.KSL_VSCODE_RUNNER;
  if (forced === 'electron' || forced === 'offline') return { runner: forced, why: 'KSL_VSCODE_RUNNER' };
  if (forced) throw new Error(`KSL_VSCODE_RUNNER must be electron or offline, not "${forced}"`);
  if (!canShowWindow()) return { runner: 'offline', why: 'no display and no xvfb-run for a desktop VS Code' };
  if (desktopVsCodeCached()) return { runner: 'electron', why: 'a desktop VS Code is cached in .vscode-test/' };
  if (await downloadReachable()) return { runner: 'electron', why: `${DOWNLOAD_HOST} is reachable` };
  return { runner: 'offline', why: `${DOWNLOAD_HOST} is not reachable` };
}

const { runner, why } = await pickRunner();
console.log(`VS Code test runner: ${runner} (${why})`);
const script = join(REPO_ROOT, 'scripts', 'vscode', runner === 'electron' ? 'runElectron.mjs' : 'runOffline.mjs');
const r = spawnSync(process.execPath, [script], { stdio: 'inherit' });
process.exit(r.status ?? 1);
