// The benchmark harness: runs every bench/*.bench.ts (or .mjs) in its own child process, reads
// the JSON result each prints as its last line of standard output, prints one table of all
// figures with their targets, and writes everything to bench/results/latest.json.
//
// Usage: node bench/run.mjs [--only substring] [--quick]
//   --only S   run only the benchmarks whose file name contains S
//   --quick    small sizes and short durations: a smoke run (all benchmarks in under 2 minutes)
//
// Adding a benchmark is adding one file: bench/<name>.bench.ts, whose last stdout line is
//   { "name": ..., "figures": [{ "name", "value", "unit", "target"?: { "op": "<=" | ">=", "value" }, "met"?, "skipped"?, "error"? }], "notes"?: [...] }
// (bench/lib/benchMain.ts does this for TypeScript benchmarks). Progress goes to stderr.
//
// The exit code is 0 when every benchmark produced a result, whether or not targets were met
// (this is a report), and 1 when one crashed, printed no result, or ran past its time limit.

import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { clearTimeout, setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';

const benchDir = fileURLToPath(new URL('.', import.meta.url));
const root = join(benchDir, '..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? args[onlyAt + 1] : undefined;
if (onlyAt >= 0 && !only) {
  console.error('--only needs a substring');
  process.exit(2);
}
// A backstop only: each benchmark enforces its own, shorter limit.
const HARD_LIMIT_MS = quick ? 3 * 60_000 : 60 * 60_000;

const files = readdirSync(benchDir)
  .filter((f) => /\.bench\.(ts|mjs)$/.test(f))
  .filter((f) => !only || f.includes(only))
  .sort();
if (files.length === 0) {
  console.error(`no benchmarks in ${benchDir}${only ? ` matching "${only}"` : ''}`);
  process.exit(2);
}

/** Benchmarks running now, by process group, so an interrupted harness takes them down with it. */
const running = new Set();
// Once interrupted, the harness stops the running benchmark, writes no results and exits 130.
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    interrupted = true;
    if (running.size === 0) process.exit(130);
    for (const child of running) void stopGroup(child);
  });
}

function signalGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/**
 * SIGTERM first, so the benchmark releases what it holds (its emulators, its temp dirs), then
 * SIGKILL for whatever is left of its process group once it has exited or the grace is over.
 */
function stopGroup(child) {
  const GRACE_MS = 5000;
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signalGroup(child, 'SIGKILL');
      resolve();
    };
    const timer = setTimeout(done, GRACE_MS);
    if (child.exitCode !== null || child.signalCode !== null) done();
    else child.once('exit', done);
    signalGroup(child, 'SIGTERM');
  });
}

/** Runs one benchmark file; resolves with its result or with the reason it has none. */
function runOne(file) {
  const path = join(benchDir, file);
  const nodeArgs = file.endsWith('.ts') ? ['--import', 'tsx', path] : [path];
  if (quick) nodeArgs.push('--quick');
  const started = performance.now();
  return new Promise((resolve) => {
    // Its own process group, so whatever it starts (emulators, dnsmasq) can be killed with it.
    const child = spawn(process.execPath, nodeArgs, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
    running.add(child);
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (c) => {
      stdout += c;
    });
    const timer = setTimeout(() => {
      console.error(`${file}: still running after ${HARD_LIMIT_MS / 1000} s, stopping it`);
      void stopGroup(child);
    }, HARD_LIMIT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      // Whatever the benchmark left behind in its group goes too.
      signalGroup(child, 'SIGKILL');
      const seconds = Math.round((performance.now() - started) / 100) / 10;
      const last = stdout.trim().split('\n').pop() ?? '';
      let result;
      try {
        result = JSON.parse(last);
      } catch {
        result = undefined;
      }
      if (code !== 0 || !result || typeof result.name !== 'string' || !Array.isArray(result.figures)) {
        const why = code !== 0 ? `exited with ${signal ?? code}` : 'printed no result line';
        resolve({ file, seconds, error: why });
        return;
      }
      resolve({ file, seconds, ...result });
    });
  });
}

function formatValue(v) {
  if (v === null || v === undefined) return '-';
  if (!Number.isFinite(v)) return String(v);
  const abs = Math.abs(v);
  if (abs >= 1000 || Number.isInteger(v)) return Math.round(v).toLocaleString('en-US');
  if (abs >= 10) return v.toFixed(1);
  if (abs >= 0.1) return v.toFixed(2);
  return v.toPrecision(2);
}

function verdict(f) {
  if (f.error) return `FAILED: ${f.error}`;
  if (f.skipped) return `skipped: ${f.skipped}`;
  if (!f.target) return '';
  if (f.met === undefined) return 'not judged (quick sizes)';
  return f.met ? 'met' : 'MISSED';
}

function printTable(results) {
  const rows = [['benchmark', 'figure', 'value', 'unit', 'target', 'result']];
  for (const r of results) {
    if (r.error) {
      rows.push([r.file, '(crashed)', '-', '', '', r.error]);
      continue;
    }
    for (const f of r.figures) {
      const target = f.target ? `${f.target.op} ${formatValue(f.target.value)}` : '';
      rows.push([r.name, f.name, formatValue(f.value), f.unit ?? '', target, verdict(f)]);
    }
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => String(row[c]).length)));
  const right = new Set([2]);
  const line = (row) =>
    row
      .map((cell, c) => (right.has(c) ? String(cell).padStart(widths[c]) : String(cell).padEnd(widths[c])))
      .join('  ')
      .trimEnd();
  const out = [line(rows[0]), line(widths.map((w) => '-'.repeat(w))), ...rows.slice(1).map(line)];
  for (const r of results) {
    for (const note of r.notes ?? []) out.push(`note (${r.name}): ${note}`);
  }
  process.stdout.write('\n' + out.join('\n') + '\n');
}

function gitCommit() {
  try {
    const head = readFileSync(join(root, '.git', 'HEAD'), 'utf8').trim();
    if (!head.startsWith('ref: ')) return head;
    return readFileSync(join(root, '.git', head.slice(5)), 'utf8').trim();
  } catch {
    return undefined;
  }
}

const startedAt = new Date().toISOString();
const results = [];
for (const file of files) {
  console.error(`\n== ${file}${quick ? ' (quick)' : ''}`);
  const r = await runOne(file);
  if (interrupted) {
    console.error(`\ninterrupted during ${file}; no results written`);
    process.exit(130);
  }
  console.error(`== ${file}: ${r.error ? `CRASHED (${r.error})` : 'done'} in ${r.seconds} s`);
  results.push(r);
}
printTable(results);

const report = {
  startedAt,
  finishedAt: new Date().toISOString(),
  quick,
  commit: gitCommit(),
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryBytes: totalmem(), loadAverageAtEnd: loadavg(), node: process.version },
  benchmarks: results,
};
const resultsDir = join(benchDir, 'results');
mkdirSync(resultsDir, { recursive: true });
writeFileSync(join(resultsDir, 'latest.json'), JSON.stringify(report, null, 2) + '\n');
console.error(`\nresults: ${join('bench', 'results', 'latest.json')}`);
const crashed = results.filter((r) => r.error);
process.exit(crashed.length ? 1 : 0);
