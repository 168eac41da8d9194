// What the suite writes for its runner when it ends: the runner cannot see the extension
// host's exit status (code-server keeps running), so it reads this file instead. The runners
// (scripts/vscode/*.mjs) read the same shape.

/** The environment variable naming the file the results are written to. */
export const RESULTS_FILE_ENV = 'KSL_VSCODE_TEST_RESULTS';

export interface TestOutcome {
  title: string;
  state: 'passed' | 'failed';
  durationMs: number;
  error?: string;
}

export interface SuiteResults {
  vscodeVersion: string;
  passed: number;
  failed: number;
  /** Tests that did not run (skipped or pending): the runners count any as a failure. */
  pending: number;
  durationMs: number;
  tests: TestOutcome[];
}
