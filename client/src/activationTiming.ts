// What activation cost the extension itself, as VS Code's "Running Extensions" view splits it:
// evaluating the bundle (from the first line of dist/extension.js, marked by a banner that
// scripts/build.mjs adds) and running `activate()`. VS Code's own work around the call
// (creating the ExtensionContext, reading the file) is not in it.

import { performance } from 'node:perf_hooks';

declare const __kslBundleStart: number | undefined;

export interface ActivationTiming {
  /** Evaluating the bundle up to the call of `activate()`; undefined when not run from the bundle. */
  readonly bundleMs: number | undefined;
  readonly activateMs: number;
}

/** Call first thing in `activate()`; the returned function, called last, gives the timing. */
export function startActivationTiming(): () => ActivationTiming {
  const activateStart = performance.now();
  const bundleStart = typeof __kslBundleStart === 'number' ? __kslBundleStart : undefined;
  return () => ({
    bundleMs: bundleStart === undefined ? undefined : activateStart - bundleStart,
    activateMs: performance.now() - activateStart,
  });
}

export function activationTimingText(t: ActivationTiming): string {
  const bundle = t.bundleMs === undefined ? '' : `loading the bundle ${t.bundleMs.toFixed(1)} ms, `;
  return `activated: ${bundle}activate() ${t.activateMs.toFixed(1)} ms`;
}
