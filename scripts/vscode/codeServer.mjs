// Starting and stopping code-server for a test run: on loopback, on a port the system picks,
// with its own user-data and extensions folders, in a process group of its own so that
// stopping it also ends its extension host and whatever that spawned (the emulator).
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { clearTimeout, setTimeout } from 'node:timers';
import { join } from 'node:path';

const LISTENING = /HTTP server listening on (http:\/\/127\.0\.0\.1:(\d+))\//;
const START_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 5_000;

/** Every code-server this process started and has not stopped, for the exit handler. */
const running = new Set();

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is gone already.
  }
}

// Whatever happens to the runner, no code-server outlives it.
process.on('exit', () => {
  for (const pid of running) killGroup(pid, 'SIGKILL');
});

/**
 * Starts code-server and resolves once it listens: { origin, port, logFile, stop() }.
 * `env` is added to the environment of the server and so of its extension host.
 */
export function startCodeServer({ entry, workspace, userDataDir, extensionsDir, env = {}, logFile }) {
  const args = [
    entry,
    '--auth', 'none',
    '--bind-addr', '127.0.0.1:0',
    // A config file of its own, or code-server writes one into the user's home.
    '--config', join(userDataDir, 'code-server.yaml'),
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--disable-proxy',
    workspace,
  ];
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  running.add(child.pid);
  const log = createWriteStream(logFile);
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });

  let exited = false;
  const exit = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      exited = true;
      running.delete(child.pid);
      resolve(signal ?? code);
    });
  });

  const stop = async () => {
    if (!exited) {
      killGroup(child.pid, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), STOP_GRACE_MS);
      await exit;
      clearTimeout(timer);
    }
    // The extension host and the emulator are in the same group and may outlive the server.
    killGroup(child.pid, 'SIGKILL');
    log.end();
  };

  return new Promise((resolve, reject) => {
    let seen = '';
    let settled = false;
    const timer = setTimeout(() => fail(new Error(`code-server did not listen within ${START_TIMEOUT_MS / 1000} s; see ${logFile}`)), START_TIMEOUT_MS);
    const fail = (err) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void stop().then(() => reject(err));
    };
    child.stdout.setEncoding('utf8').on('data', function listening(text) {
      seen = (seen + text).slice(-4096);
      const m = LISTENING.exec(seen);
      if (!m) return;
      child.stdout.off('data', listening);
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ origin: m[1], port: Number(m[2]), logFile, exited: exit, stop });
    });
    child.once('error', (err) => fail(new Error(`could not start code-server: ${err.message}`)));
    void exit.then((how) => fail(new Error(`code-server exited (${how}) before listening; see ${logFile}`)));
  });
}

/**
 * The workbench URL that opens `workspace` with the extension at `extensionDir` loaded for
 * development and, when `testsPath` is given, VS Code running that test entry point.
 */
export function workbenchUrl(origin, { workspace, extensionDir, testsPath }) {
  const remote = (path) => `vscode-remote://${new URL(origin).host}${path}`;
  const payload = [['extensionDevelopmentPath', remote(extensionDir)]];
  if (testsPath) payload.push(['extensionTestsPath', remote(testsPath)]);
  return `${origin}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}
