// The entry point VS Code calls in the extension host when the extension is loaded for
// development with an `extensionTestsPath` (the same `run()` for @vscode/test-electron and for
// the offline code-server runner). It runs the Mocha suites in the order of the lesson, writes
// the outcome where KSL_VSCODE_TEST_RESULTS says, and rejects when a test failed.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { kslExtension } from './helpers/extensionApi';
import { restoreWindow, stubWindow } from './helpers/windowStubs';
import { RESULTS_FILE_ENV, type SuiteResults, type TestOutcome } from './suiteResults';

/**
 * Later suites build on what earlier ones left in the cluster (applied manifests, a running
 * emulator), as a user following the lesson would.
 */
const SUITE_FILES = [
  'activation.test.js',
  'diagnostics.test.js',
  'liveService.test.js',
  'clusterCommands.test.js',
  'clusterSwitching.test.js',
  'emulatorCrash.test.js',
  'emulatorControls.test.js',
];

function errorText(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

async function runMocha(): Promise<SuiteResults> {
  const mocha = new Mocha({ ui: 'tdd', timeout: 120_000, color: false, reporter: 'spec' });
  for (const file of SUITE_FILES) mocha.addFile(join(__dirname, file));
  const tests: TestOutcome[] = [];
  let pending = 0;
  const started = Date.now();
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on('pass', (t: Mocha.Test) => tests.push({ title: t.fullTitle(), state: 'passed', durationMs: t.duration ?? 0 }));
    // A failing hook is reported here too, under the hook's title.
    runner.on('fail', (t: Mocha.Runnable, err: unknown) => tests.push({ title: t.fullTitle(), state: 'failed', durationMs: t.duration ?? 0, error: errorText(err) }));
    runner.on('pending', () => pending++);
  });
  return {
    vscodeVersion: vscode.version,
    passed: tests.filter((t) => t.state === 'passed').length,
    failed: tests.filter((t) => t.state === 'failed').length,
    pending,
    durationMs: Date.now() - started,
    tests,
  };
}

export async function run(): Promise<void> {
  stubWindow();
  let results: SuiteResults;
  try {
    results = await runMocha();
  } catch (err) {
    results = { vscodeVersion: vscode.version, passed: 0, failed: 1, pending: 0, durationMs: 0, tests: [{ title: 'loading the suite', state: 'failed', durationMs: 0, error: errorText(err) }] };
  } finally {
    restoreWindow();
    // The emulator is a child of this extension host; stopping it here lets it save its state
    // and leaves no process behind for the runner to kill.
    const ext = kslExtension();
    if (ext.isActive) await ext.exports.emulator.stop();
  }
  const file = process.env[RESULTS_FILE_ENV];
  if (file) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
  }
  if (results.failed > 0 || results.pending > 0 || results.passed === 0) {
    throw new Error(`${results.failed} of ${results.passed + results.failed} tests failed, ${results.pending} did not run`);
  }
}
