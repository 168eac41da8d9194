// Runs in the extension host of a real VS Code (code-server), as the extensionTestsPath of the
// activation benchmark: activates Kube Service Lab in a window where nothing has activated it
// yet, timing the call as VS Code makes it (the bundle's code loading plus `activate()`), and
// records whether activation did any cluster work. Writes the result where
// KSL_ACTIVATION_RESULTS says.

import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { KslExtensionApi } from '../../client/src/extension';

const EXTENSION_ID = 'kube-service-lab.kube-service-lab';

/** What one probe measured; bench/extensionActivation.bench.mjs reads it. */
export interface ActivationProbeResult {
  vscodeVersion: string;
  /** Whether something had activated the extension before the probe ran (the figure is then void). */
  wasActive: boolean;
  /** `extension.activate()` from outside: VS Code's work (context, module loading) plus the extension's. */
  activationMs: number;
  /** The extension's own part: evaluating its bundle, and its `activate()`. */
  bundleMs: number | undefined;
  activateMs: number;
  emulatorState: string;
  languageServerStarted: boolean;
  error?: string;
}

export async function run(): Promise<void> {
  const file = process.env.KSL_ACTIVATION_RESULTS;
  if (!file) throw new Error('KSL_ACTIVATION_RESULTS is not set');
  let result: ActivationProbeResult;
  try {
    const extension = vscode.extensions.getExtension<KslExtensionApi>(EXTENSION_ID);
    if (!extension) throw new Error(`${EXTENSION_ID} is not loaded`);
    const wasActive = extension.isActive;
    const started = performance.now();
    const api = await extension.activate();
    const activationMs = performance.now() - started;
    result = {
      vscodeVersion: vscode.version,
      wasActive,
      activationMs,
      bundleMs: api.activationTiming.bundleMs,
      activateMs: api.activationTiming.activateMs,
      emulatorState: api.emulator.state.kind,
      languageServerStarted: api.languageClient.client !== undefined,
    };
  } catch (err) {
    result = { vscodeVersion: vscode.version, wasActive: false, activationMs: NaN, bundleMs: undefined, activateMs: NaN, emulatorState: 'unknown', languageServerStarted: false, error: err instanceof Error ? err.message : String(err) };
  }
  writeFileSync(file, JSON.stringify(result) + '\n');
}
