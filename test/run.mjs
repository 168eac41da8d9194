// Runs the node:test suites written in TypeScript. Node 20's test runner does not discover
// .ts files by itself, so this script finds them and hands them over with tsx as the loader.
// Usage: node test/run.mjs [unit|integration ...] [--only substring]
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const onlyIdx = args.indexOf('--only');
const only = onlyIdx >= 0 ? args[onlyIdx + 1] : undefined;
const suites = args.filter((a, i) => !a.startsWith('--') && (onlyIdx < 0 || i !== onlyIdx + 1));
const dirs = (suites.length ? suites : ['unit', 'integration']).map((s) => join(root, 'test', s));

function find(dir) {
  let out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(find(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const files = dirs.flatMap(find).filter((f) => !only || f.includes(only)).sort();
if (files.length === 0) {
  console.error('no test files found in ' + dirs.map((d) => relative(root, d)).join(', '));
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files], {
  stdio: 'inherit',
  cwd: root,
});
process.exit(r.status ?? 1);
