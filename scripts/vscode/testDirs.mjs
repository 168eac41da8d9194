// The folders of one VS Code test run, all under a fresh temporary folder: a copy of examples/
// as the workspace (the suite writes into it), a user-data folder with settings that keep
// dialogs and welcome pages off the workbench, and an empty extensions folder.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

const USER_SETTINGS = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'git.enabled': false,
  'window.restoreWindows': 'none',
  'files.hotExit': 'off',
  'remote.autoForwardPorts': false,
};

/** Every folder made and not yet removed: a runner that is stopped early removes them on exit. */
const made = new Set();
process.on('exit', () => {
  for (const root of made) rmSync(root, { recursive: true, force: true });
});

/** Creates the folders; `remove()` deletes them all. */
export function makeTestDirs(label) {
  const root = mkdtempSync(join(tmpdir(), `ksl-vscode-${label}-`));
  made.add(root);
  const workspace = join(root, 'examples');
  cpSync(join(REPO_ROOT, 'examples'), workspace, { recursive: true });
  const userDataDir = join(root, 'user-data');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2) + '\n');
  const extensionsDir = join(root, 'extensions');
  mkdirSync(extensionsDir);
  const remove = () => {
    rmSync(root, { recursive: true, force: true });
    made.delete(root);
  };
  return { root, workspace, userDataDir, extensionsDir, remove };
}
