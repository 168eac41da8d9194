// The desktop runner: the VS Code test suite in a desktop VS Code that @vscode/test-electron
// downloads (into .vscode-test/, git-ignored) and starts with the extension loaded for
// development. For machines that reach update.code.visualstudio.com; the offline runner
// (runOffline.mjs) runs the same suite where they do not. On Linux without a display it runs
// itself again under xvfb-run.
//
// Usage: node scripts/vscode/runElectron.mjs
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';
import { buildSuite } from './buildSuite.mjs';
import { printResults, readResults, resultsPassed, RESULTS_FILE_ENV } from './suiteResults.mjs';
import { makeTestDirs, REPO_ROOT } from './testDirs.mjs';

/** The same VS Code as code-server 4.100.3 holds, so both runners test one version. */
export const VSCODE_VERSION = '1.100.3';
const RUNNER = `desktop VS Code ${VSCODE_VERSION} through @vscode/test-electron`;

function commandExists(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}

/** Whether Electron can open a window here, directly or under xvfb-run. */
export function canShowWindow() {
  return process.platform !== 'linux' || Boolean(process.env.DISPLAY) || commandExists('xvfb-run');
}

async function main() {
  if (process.platform === 'linux' && !process.env.DISPLAY) {
    if (!commandExists('xvfb-run')) throw new Error('no display and no xvfb-run: install xvfb, or use the offline runner (KSL_VSCODE_RUNNER=offline)');
    const r = spawnSync('xvfb-run', ['-a', process.execPath, fileURLToPath(import.meta.url)], { stdio: 'inherit' });
    return r.status === 0;
  }
  const build = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'build.mjs')], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the extension did not build');
  const testsPath = await buildSuite();
  const resultsFile = join(REPO_ROOT, 'test-results', 'vscode-suite.json');
  // Results of an earlier run must not pass for this one's.
  rmSync(resultsFile, { force: true });
  const dirs = makeTestDirs('electron');
  let exitError;
  try {
    await runTests({
      version: VSCODE_VERSION,
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: testsPath,
      extensionTestsEnv: { [RESULTS_FILE_ENV]: resultsFile },
      launchArgs: [
        dirs.workspace,
        '--user-data-dir', dirs.userDataDir,
        '--extensions-dir', dirs.extensionsDir,
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
        '--disable-gpu',
      ],
    });
  } catch (err) {
    // runTests rejects when VS Code exits non-zero; the results file says why.
    exitError = err;
  } finally {
    dirs.remove();
  }
  const results = readResults(resultsFile);
  if (!results) {
    console.error(`The suite did not run: no results in ${resultsFile}${exitError ? ` (${exitError instanceof Error ? exitError.message : String(exitError)})` : ''}.`);
    return false;
  }
  printResults(results, RUNNER);
  return resultsPassed(results) && !exitError;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().then(
    (ok) => process.exit(ok ? 0 : 1),
    (err) => {
      console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
      process.exit(1);
    },
  );
}
