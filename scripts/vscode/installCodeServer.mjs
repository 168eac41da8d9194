// Installs code-server (a whole VS Code: server plus web workbench, published on npm) into a
// cache folder, without the network steps of its install scripts: those download ripgrep and
// prebuilt binaries from GitHub, which an offline machine cannot reach. The native modules are
// rebuilt from source against this Node instead, and ripgrep comes from the system (Debian's
// `ripgrep`). Installing takes a few minutes; a finished install is reused, recognised by a
// marker file written last.
//
// Usage: node scripts/vscode/installCodeServer.mjs   (prints the install folder)
// Environment: KSL_CODE_SERVER_DIR overrides the cache folder (default .cache/code-server-<version>).
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The newest code-server line that runs on Node 20 (later lines need Node 22 or 24). */
export const CODE_SERVER_VERSION = '4.100.3';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Native modules of VS Code's server, rebuilt because their install scripts were skipped. */
const VSCODE_NATIVE_MODULES = ['@parcel/watcher', '@vscode/spdlog', 'kerberos', 'native-watchdog', '@vscode/deviceid', 'node-pty'];

export function codeServerDir() {
  return resolve(process.env.KSL_CODE_SERVER_DIR || join(root, '.cache', `code-server-${CODE_SERVER_VERSION}`));
}

/** code-server's Node entry point inside an install folder. */
export function codeServerEntry(dir = codeServerDir()) {
  return join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

function which(command) {
  const r = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function run(cwd, args, extraEnv = {}) {
  console.log(`[code-server install] (${cwd}) npm ${args.join(' ')}`);
  const r = spawnSync('npm', args, {
    cwd,
    stdio: 'inherit',
    env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', ...extraEnv },
  });
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed in ${cwd} (exit ${r.status ?? r.signal})`);
}

/** Makes `link` point at `target`, replacing whatever is there. */
function link(target, linkPath) {
  let present = false;
  try {
    lstatSync(linkPath);
    present = true;
  } catch {
    // Nothing at linkPath yet.
  }
  if (present) rmSync(linkPath, { recursive: true, force: true });
  mkdirSync(dirname(linkPath), { recursive: true });
  symlinkSync(target, linkPath);
}

/** Installs code-server unless the cache holds a finished install; returns the install folder. */
export function ensureCodeServer(dir = codeServerDir()) {
  const marker = join(dir, '.installed');
  if (existsSync(marker) && readFileSync(marker, 'utf8').trim() === CODE_SERVER_VERSION && existsSync(codeServerEntry(dir))) return dir;
  const rg = which('rg');
  if (!rg) throw new Error('ripgrep (rg) is not on PATH; VS Code\'s search needs it. On Debian: apt-get install ripgrep');

  const started = Date.now();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'code-server-cache', private: true }) + '\n');
  run(dir, ['install', '--ignore-scripts', '--no-save', '--no-package-lock', `code-server@${CODE_SERVER_VERSION}`]);
  run(dir, ['rebuild', 'argon2']);

  const vscodeDir = join(dir, 'node_modules', 'code-server', 'lib', 'vscode');
  run(vscodeDir, ['install', '--omit=dev', '--ignore-scripts']);
  // node-pty's install script calls `npx node-gyp`, which asks before installing unless told yes.
  run(vscodeDir, ['rebuild', ...VSCODE_NATIVE_MODULES], { npm_config_yes: 'true' });
  run(join(vscodeDir, 'extensions'), ['install', '--omit=dev', '--ignore-scripts']);

  // The server looks for its modules in node_modules.asar (as the desktop build packs them).
  link('node_modules', join(vscodeDir, 'node_modules.asar'));
  link(rg, join(vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg'));
  link('code-linux.sh', join(vscodeDir, 'bin', 'remote-cli', 'code-server'));
  link('browser-linux.sh', join(vscodeDir, 'bin', 'helpers', 'browser.sh'));

  writeFileSync(marker, CODE_SERVER_VERSION + '\n');
  console.log(`[code-server install] done in ${Math.round((Date.now() - started) / 1000)} s: ${dir}`);
  return dir;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    console.log(ensureCodeServer());
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  }
}
