// `npm run package`: builds the bundles, then packs the extension into
// <root>/kube-service-lab-<version>.vsix with vsce. The bundles are self-contained (esbuild),
// so vsce adds no node_modules (`--no-dependencies`); .vscodeignore, an allowlist, decides
// what else goes in.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function run(args) {
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

run([join(root, 'scripts', 'build.mjs')]);
const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const out = join(root, `${name}-${version}.vsix`);
// The README's relative links point into the repository, which has no public URL yet.
run([join(root, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', out]);
console.log(`${out}: ${(statSync(out).size / 1024).toFixed(0)} KiB`);
