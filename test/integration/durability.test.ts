// Crash durability of `ksl serve`, the way a user's emulator dies: the real CLI runs in its own
// process, a storm of concurrent API writes (creates, patches and deletes of Services) goes on,
// and the process is SIGKILLed at a random moment. It is then restarted on the same state
// directory, and every write the API acknowledged (a 2xx answer received) must be there with
// at least the content it was acknowledged with; the emulator must start, without reporting
// data loss, and answer lists. Several rounds run against the same directory, so later kills
// also land while the log is being compacted.
//
// KSL_DURABILITY_SEED=<n> replays the kill moments of an earlier run.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Service } from '../../emulator/src/api/types';
import { apiRequest, jsonOf, type ApiTarget } from './apiRequests';
import { CLI } from './ksl';
import { seededRandom as seeded } from '../unit/helpers/seededRandom';

const ROUNDS = 6;
const WORKERS = 12;
const START_DEADLINE_MS = 60_000;
const KILL_AFTER_MS = { min: 300, max: 4000 };
const SERVICES = '/api/v1/namespaces/default/services';
const STARTED_LINE = 'serving the Kubernetes API at';

interface Running {
  child: ChildProcess;
  target: ApiTarget;
  exited: Promise<void>;
  stderr: string[];
}

/** What the test knows of one Service: its last acknowledged state, and an unanswered write, if any. */
interface Expected {
  /** resourceVersion and `seq` annotation of the last acknowledged create or patch. */
  acked?: { rv: number; seq: number };
  /** The last acknowledged write was a delete. */
  ackedDelete: boolean;
  /** A write was in flight when the emulator died: its outcome is unknown. */
  inFlight?: 'create' | 'patch' | 'delete';
}

const children: ChildProcess[] = [];
const dirs: string[] = [];

after(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function serve(stateDir: string): Promise<Running> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" (npm test builds it first)`);
  const child = spawn(process.execPath, [CLI, 'serve', '--state-dir', stateDir, '--dns-port', '0', '--pod-ready-delay', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const stderr: string[] = [];
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => stderr.push(...chunk.split('\n').filter(Boolean)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`the emulator did not start within ${START_DEADLINE_MS} ms:\n${stderr.join('\n')}`)), START_DEADLINE_MS);
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      seen += chunk;
      if (seen.includes(STARTED_LINE)) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the emulator exited before serving:\n${stderr.join('\n')}`));
    });
  });
  const endpoints = JSON.parse(readFileSync(join(stateDir, 'endpoints.json'), 'utf8')) as { api: string };
  const target = {
    url: endpoints.api,
    token: readFileSync(join(stateDir, 'token'), 'utf8').trim(),
    caPem: readFileSync(join(stateDir, 'tls.crt'), 'utf8'),
  };
  return { child, target, exited, stderr };
}

function service(name: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, annotations: { seq: '0' } },
    spec: { selector: { app: name }, ports: [{ port: 80 }] },
  });
}

function stateOf(svc: Service): { rv: number; seq: number } {
  return { rv: Number(svc.metadata.resourceVersion), seq: Number(svc.metadata.annotations?.seq) };
}

/**
 * One worker: creates its own Services one after another, patches each a few times and deletes
 * some, until `stopped()`. Every answer is recorded in `expected`.
 */
async function worker(target: ApiTarget, prefix: string, rand: () => number, expected: Map<string, Expected>, stopped: () => boolean): Promise<number> {
  let acks = 0;
  for (let i = 0; !stopped(); i++) {
    const name = `${prefix}-${i}`;
    const entry: Expected = { ackedDelete: false, inFlight: 'create' };
    expected.set(name, entry);
    try {
      const created = await apiRequest(target, 'POST', SERVICES, { body: service(name) });
      assert.equal(created.code, 201, created.text);
      entry.acked = stateOf(jsonOf<Service>(created));
      entry.inFlight = undefined;
      acks++;
      const patches = 1 + Math.floor(rand() * 3);
      for (let seq = 1; seq <= patches && !stopped(); seq++) {
        entry.inFlight = 'patch';
        const patched = await apiRequest(target, 'PATCH', `${SERVICES}/${name}`, {
          body: JSON.stringify({ metadata: { annotations: { seq: String(seq) } } }),
          contentType: 'application/merge-patch+json',
        });
        assert.equal(patched.code, 200, patched.text);
        entry.acked = stateOf(jsonOf<Service>(patched));
        entry.inFlight = undefined;
        acks++;
      }
      if (!stopped() && rand() < 0.25) {
        entry.inFlight = 'delete';
        const deleted = await apiRequest(target, 'DELETE', `${SERVICES}/${name}`);
        assert.equal(deleted.code, 200, deleted.text);
        entry.ackedDelete = true;
        entry.inFlight = undefined;
        acks++;
      }
    } catch (err) {
      // The connection died with the emulator: the write in flight stays unknown. Anything
      // else (a 4xx or 5xx answer while the emulator was alive) is a real failure.
      if (!stopped()) throw err;
    }
  }
  return acks;
}

/** Checks every expectation against the restarted emulator; returns how many writes it verified. */
async function verify(target: ApiTarget, expected: Map<string, Expected>): Promise<number> {
  const list = await apiRequest(target, 'GET', SERVICES, { timeoutMs: 60_000 });
  assert.equal(list.code, 200, list.text);
  const present = new Map(jsonOf<{ items: Service[] }>(list).items.map((s) => [s.metadata.name ?? '', stateOf(s)] as const));
  let verified = 0;
  for (const [name, e] of expected) {
    const now = present.get(name);
    if (e.inFlight === 'delete' && now === undefined) continue;
    if (e.ackedDelete) {
      assert.equal(now, undefined, `${name}: its deletion was acknowledged, yet it is back`);
      verified++;
      continue;
    }
    if (!e.acked) continue;
    assert.ok(now, `${name}: acknowledged at resourceVersion ${e.acked.rv} (seq ${e.acked.seq}), missing after the crash`);
    assert.ok(now.rv >= e.acked.rv, `${name}: acknowledged at resourceVersion ${e.acked.rv}, found ${now.rv}`);
    assert.ok(now.seq >= e.acked.seq, `${name}: acknowledged with seq ${e.acked.seq}, found ${now.seq}`);
    verified++;
  }
  return verified;
}

test('every write the API acknowledged survives SIGKILL at a random moment, round after round', { timeout: 10 * 60_000 }, async (t) => {
  const seed = Number(process.env.KSL_DURABILITY_SEED ?? Math.floor(Math.random() * 2 ** 31));
  const rand = seeded(seed);
  const parent = mkdtempSync(join(tmpdir(), 'ksl-durability-'));
  dirs.push(parent);
  const stateDir = join(parent, 'state');
  const expected = new Map<string, Expected>();
  let acknowledged = 0;
  let checks = 0;
  let lastVerified = 0;
  let duringCompaction = 0;
  let compactedRounds = 0;
  let lastSnapshot = 0;
  let tornTails = 0;
  const killTimes: number[] = [];

  let emulator = await serve(stateDir);
  for (let round = 0; round < ROUNDS; round++) {
    let killed = false;
    const stopped = (): boolean => killed;
    const work = Array.from({ length: WORKERS }, (_, w) => worker(emulator.target, `r${round}-w${w}`, seeded(seed + round * 100 + w), expected, stopped));
    const killAfter = Math.round(KILL_AFTER_MS.min + rand() * (KILL_AFTER_MS.max - KILL_AFTER_MS.min));
    killTimes.push(killAfter);
    await new Promise<void>((resolve) => setTimeout(resolve, killAfter));
    killed = true;
    emulator.child.kill('SIGKILL');
    await emulator.exited;
    for (const acks of await Promise.all(work)) acknowledged += acks;
    if (existsSync(join(stateDir, 'wal.log.next'))) duringCompaction++;
    const snapshotTime = existsSync(join(stateDir, 'snapshot.snap')) ? statSync(join(stateDir, 'snapshot.snap')).mtimeMs : 0;
    if (snapshotTime !== lastSnapshot) compactedRounds++;
    lastSnapshot = snapshotTime;

    emulator = await serve(stateDir);
    assert.ok(!emulator.stderr.some((l) => l.includes('DATA LOSS')), `the restart reported data loss:\n${emulator.stderr.join('\n')}`);
    if (emulator.stderr.some((l) => l.includes('cut off an incomplete or corrupt last record'))) tornTails++;
    lastVerified = await verify(emulator.target, expected);
    checks += lastVerified;
  }
  emulator.child.kill('SIGTERM');
  await emulator.exited;

  const stillThere = [...expected.values()].filter((e) => e.acked && !e.ackedDelete).length;
  t.diagnostic(
    `seed ${seed}; ${ROUNDS} SIGKILLs injected after ${killTimes.join(', ')} ms of writes; the log was compacted in ${compactedRounds} ` +
      `rounds, and ${duringCompaction} kills landed during a compaction`,
  );
  t.diagnostic(
    `${acknowledged} writes acknowledged by ${WORKERS} concurrent clients; the last acknowledged write of each of ${lastVerified} Services ` +
      `verified after the last restart (${checks} checks over all restarts, ${stillThere} Services at the end)`,
  );
  t.diagnostic(`${tornTails} restarts cut off a torn last record; none reported data loss`);
  assert.ok(acknowledged > 0, 'the storm acknowledged at least one write');
});
