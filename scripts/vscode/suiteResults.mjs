// Reading and printing what the suite wrote (test/vscode/suite/suiteResults.ts has the shape).
// A run counts as passed only if tests ran, none failed and none was skipped.
import { existsSync, readFileSync } from 'node:fs';

/** The variable the suite reads the results path from (RESULTS_FILE_ENV in suiteResults.ts). */
export const RESULTS_FILE_ENV = 'KSL_VSCODE_TEST_RESULTS';

export function readResults(file) {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    // Half written: the caller reads again.
    return undefined;
  }
}

export function resultsPassed(results) {
  return results !== undefined && results.passed > 0 && results.failed === 0 && results.pending === 0;
}

/** Prints one line per test, the failures' errors, and the summary line with the VS Code version. */
export function printResults(results, runnerName) {
  for (const t of results.tests) {
    console.log(`  ${t.state === 'passed' ? '✔' : '✘'} ${t.title} (${t.durationMs} ms)`);
    if (t.error) console.log(t.error.replace(/^/gm, '      '));
  }
  console.log(
    `VS Code ${results.vscodeVersion} (${runnerName}): ${results.passed} passed, ${results.failed} failed${results.pending ? `, ${results.pending} not run` : ''} in ${(results.durationMs / 1000).toFixed(1)} s`,
  );
}
