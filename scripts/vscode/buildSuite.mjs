// Compiles the VS Code test suite (test/vscode/suite/) for the extension host: each TypeScript
// file becomes a CommonJS file at the same relative path, as tsc would emit it, so the helpers
// are single modules that every suite file shares (the message log, the window stubs), and
// Mocha loads the suite files itself. `vscode` comes from the host and `mocha` from
// node_modules. The suite imports only types from the extension's sources; a value import
// from outside the suite would not load, so the build refuses it. Type-checking is `tsc -b`.
import { build } from 'esbuild';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const suiteDir = join(root, 'test', 'vscode', 'suite');

/** Where the compiled suite goes (git-ignored, under out/). */
export const SUITE_OUT_DIR = join(root, 'out', 'vscode-test');

/**
 * The suite's entry point for VS Code's extensionTestsPath. With `.js`: the package is ESM, so
 * VS Code 1.100 loads it with import(), which does not add the extension as require() does.
 */
export const SUITE_INDEX = join(SUITE_OUT_DIR, 'index.js');

function filesUnder(dir, suffix) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return filesUnder(path, suffix);
    return name.endsWith(suffix) ? [path] : [];
  });
}

export async function buildSuite() {
  await compileForExtensionHost(suiteDir, SUITE_OUT_DIR);
  return SUITE_INDEX;
}

/** Compiles every TypeScript file under `srcDir` to CommonJS under `outDir` (emptied first). */
export async function compileForExtensionHost(srcDir, outDir) {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  // The repository's package is ESM; these files are CommonJS, as the extension host loads them.
  writeFileSync(join(outDir, 'package.json'), JSON.stringify({ type: 'commonjs' }) + '\n');
  await build({
    entryPoints: filesUnder(srcDir, '.ts'),
    outdir: outDir,
    outbase: srcDir,
    bundle: false,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  for (const file of filesUnder(outDir, '.js')) {
    const outside = [...readFileSync(file, 'utf8').matchAll(/require\("(\.[^"]*)"\)/g)]
      .map((m) => m[1])
      .filter((spec) => relative(outDir, resolve(join(file, '..'), spec)).startsWith('..'));
    if (outside.length) throw new Error(`${relative(root, file)} imports values from outside ${relative(root, srcDir)} (${outside.join(', ')}); import types only, or move the code into ${relative(root, srcDir)}/`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(await buildSuite());
}
