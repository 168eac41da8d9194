// Bundles the three entry points with esbuild. Type-checking is a separate step (`tsc -b`).
import { build } from 'esbuild';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';

/** Resolves imports of @kubernetes/client-node to the separate dist/kubeconfig.js bundle. */
const kubeconfigApart = {
  name: 'kubeconfig-apart',
  setup(b) {
    b.onResolve({ filter: /^@kubernetes\/client-node$/ }, () => ({ path: './kubeconfig.js', external: true }));
  },
};

const entries = [
  // The extension is minified: VS Code loads it on activation, and the .vsix ships it.
  // The banner marks when VS Code starts evaluating the bundle, so activation can report its
  // own cost (client/src/activationTiming.ts).
  { in: 'client/src/extension.ts', out: 'dist/extension.js', external: ['vscode'], minify: true, banner: 'var __kslBundleStart=performance.now();' },
  { in: 'server/src/server.ts', out: 'dist/server.js', external: [], plugins: [kubeconfigApart], minify: true },
  { in: 'emulator/src/cli/main.ts', out: 'dist/cli.js', external: [], banner: '#!/usr/bin/env node', plugins: [kubeconfigApart], minify: true },
  // @kubernetes/client-node brings its whole generated API client (megabytes); it gets a
  // bundle of its own that the others require only when a kubeconfig is read.
  { in: 'server/src/cluster/kubeconfigLibrary.ts', out: 'dist/kubeconfig.js', external: [], minify: true },
];

const watch = process.argv.includes('--watch');
// The package is ESM for its sources and tests; the bundles are CommonJS (VS Code loads the
// extension with require), so dist/ gets its own package.json saying so.
mkdirSync('dist', { recursive: true });
writeFileSync('dist/package.json', JSON.stringify({ type: 'commonjs' }) + '\n');
await Promise.all(
  entries
    .filter((e) => existsSync(e.in))
    .map((e) =>
      build({
        entryPoints: [e.in],
        outfile: e.out,
        bundle: true,
        platform: 'node',
        target: 'node20',
        format: 'cjs',
        sourcemap: true,
        external: e.external,
        banner: e.banner ? { js: e.banner } : undefined,
        minify: e.minify ?? false,
        plugins: e.plugins ?? [],
        logLevel: watch ? 'info' : 'warning',
      }),
    ),
);
