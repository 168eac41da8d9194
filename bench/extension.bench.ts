// The extension's own cost: the size of what ships, and how long VS Code takes to activate it.
// Activation is measured in a real VS Code (code-server's, through headless Chromium, as the
// offline test runner runs it): each round opens a fresh window on examples/ where nothing has
// activated the extension yet, and bench/vscode/activationProbe.ts times
// `extension.activate()` there (loading the bundle plus `activate()`), and checks that it
// started neither the emulator nor the language server.

import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ActivationProbeResult } from './vscode/activationProbe';
import { benchMain } from './lib/benchMain';
import { atMost, failedFigure, figure, ms, type Figure } from './lib/figures';
import { median } from './lib/stats';

const root = fileURLToPath(new URL('..', import.meta.url));
const KiB = 1024;
/** Issue 7: the extension bundle is at most 1 MB, and activation takes at most 100 ms. */
const BUNDLE_TARGET_BYTES = 1_000_000;
const ACTIVATION_TARGET_MS = 100;

/** The parts of scripts/vscode/*.mjs this benchmark uses. */
interface WorkbenchScripts {
  ensureCodeServer(): void;
  compileForExtensionHost(srcDir: string, outDir: string): Promise<void>;
  withWorkbench(name: string, options: { testsPath: string; env: Record<string, string> }, use: (run: { server: unknown }) => Promise<boolean>): Promise<boolean>;
  waitForResults(file: string, server: unknown, timeoutMs: number): Promise<{ results?: unknown; why?: string }>;
}

async function workbenchScripts(): Promise<WorkbenchScripts> {
  const load = (name: string): Promise<Partial<WorkbenchScripts>> => import(pathToFileURL(join(root, 'scripts', 'vscode', name)).href) as Promise<Partial<WorkbenchScripts>>;
  const modules = await Promise.all(['installCodeServer.mjs', 'buildSuite.mjs', 'workbench.mjs'].map(load));
  return Object.assign({}, ...modules) as WorkbenchScripts;
}

function build(): void {
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error('npm run build failed');
}

/** Packs the .vsix with the project's own script and returns its path. */
function packageVsix(): string {
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'package.mjs')], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm run package failed: ${r.stderr}`);
  const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string };
  return join(root, `${name}-${version}.vsix`);
}

function sizeFigures(): Figure[] {
  const kib = (bytes: number): number => Math.round((bytes / KiB) * 10) / 10;
  const bundle = (file: string): number => statSync(join(root, 'dist', file)).size;
  const figures = [
    figure('extension bundle (dist/extension.js)', kib(bundle('extension.js')), 'KiB', atMost(BUNDLE_TARGET_BYTES / KiB)),
    figure('language server bundle (dist/server.js)', kib(bundle('server.js')), 'KiB'),
    figure('emulator and ksl CLI bundle (dist/cli.js)', kib(bundle('cli.js')), 'KiB'),
    figure('kubeconfig reader, loaded on demand (dist/kubeconfig.js)', kib(bundle('kubeconfig.js')), 'KiB'),
  ];
  try {
    const vsix = packageVsix();
    figures.push(figure('.vsix', kib(statSync(vsix).size), 'KiB'));
    rmSync(vsix, { force: true });
  } catch (err) {
    figures.push(failedFigure('.vsix', 'KiB', err));
  }
  return figures;
}

benchMain({
  name: 'extension',
  timeoutMs: { full: 10 * 60_000, quick: 4 * 60_000 },
  async run(ctx) {
    build();
    const figures = sizeFigures();
    const notes: string[] = [];
    const scripts = await workbenchScripts();
    scripts.ensureCodeServer();
    const probeDir = join(root, 'out', 'vscode-bench');
    await scripts.compileForExtensionHost(join(root, 'bench', 'vscode'), probeDir);
    const rounds = ctx.quick ? 1 : 5;
    const samples: number[] = [];
    const own: number[] = [];
    const bundle: number[] = [];
    let version = '';
    for (let round = 1; round <= rounds; round++) {
      const resultsFile = join(probeDir, `activation-${round}.json`);
      rmSync(resultsFile, { force: true });
      let probe: ActivationProbeResult | undefined;
      await scripts.withWorkbench('activation', { testsPath: join(probeDir, 'activationProbe.js'), env: { KSL_ACTIVATION_RESULTS: resultsFile } }, async ({ server }) => {
        const { results, why } = await scripts.waitForResults(resultsFile, server, 120_000);
        if (!results) throw new Error(`the activation probe wrote nothing: ${why}`);
        probe = results as ActivationProbeResult;
        return true;
      });
      if (!probe) throw new Error('the activation probe did not run');
      if (probe.error) throw new Error(`activation failed: ${probe.error}`);
      if (probe.wasActive) throw new Error('the extension was already active when the probe ran, so its activation could not be timed');
      if (probe.emulatorState !== 'stopped' || probe.languageServerStarted) {
        throw new Error(`activation did cluster work: emulator ${probe.emulatorState}, language server ${probe.languageServerStarted ? 'started' : 'not started'}`);
      }
      version = probe.vscodeVersion;
      if (probe.bundleMs === undefined) throw new Error('the extension did not report its bundle time: is dist/extension.js built by scripts/build.mjs?');
      samples.push(probe.activationMs);
      bundle.push(probe.bundleMs);
      own.push(probe.bundleMs + probe.activateMs);
      ctx.log(`round ${round}: activate() from outside ${probe.activationMs.toFixed(1)} ms; the extension's own: bundle ${probe.bundleMs.toFixed(1)} ms + activate ${probe.activateMs.toFixed(1)} ms`);
    }
    figures.push(figure(`activation, the extension's own (bundle evaluation + activate()), median of ${rounds} fresh windows`, ms(median(own)), 'ms', atMost(ACTIVATION_TARGET_MS)));
    figures.push(figure('activation, of which evaluating the bundle', ms(median(bundle)), 'ms'));
    figures.push(figure('activation as extension.activate() sees it from outside, median', ms(median(samples)), 'ms'));
    figures.push(figure('activation as extension.activate() sees it from outside, slowest window', ms(Math.max(...samples)), 'ms'));
    notes.push(
      `VS Code ${version} (code-server, headless Chromium), no YAML file open. The extension's own figure is what VS Code's Running Extensions view counts as code loading plus the activate call; the outside figure adds VS Code's own work around the call (building the ExtensionContext, whose stored state it reads from the workbench, and reading the file). Activation started neither the emulator nor the language server.`,
    );
    return { figures, notes };
  },
});
