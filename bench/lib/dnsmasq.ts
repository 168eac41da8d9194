// dnsmasq on 127.0.0.1 as the reference DNS server: it answers only from a hosts file (no
// upstream, no /etc/hosts, no configuration file), with the same TTL the emulator uses.

import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { chmodSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { waitForDns } from './dnsProbe';
import type { Resources } from './resources';

export interface HostRecord {
  name: string;
  ip: string;
}

export interface RunningDnsmasq {
  port: number;
  pid: number;
}

const START_ATTEMPTS = 5;
const START_TIMEOUT_MS = 10_000;

/** A port that was free on 127.0.0.1 a moment ago (UDP); dnsmasq binds TCP on it too. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    s.once('error', reject);
    s.bind(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Starts dnsmasq serving `records` (several records of one name give several A answers). */
export async function startDnsmasq(resources: Resources, dnsmasq: string, dir: string, records: readonly HostRecord[], ttl: number): Promise<RunningDnsmasq> {
  const hostsFile = join(dir, 'hosts');
  writeFileSync(hostsFile, records.map((r) => `${r.ip} ${r.name}`).join('\n') + '\n', { mode: 0o644 });
  // dnsmasq started as root reads the file after switching to an unprivileged user.
  chmodSync(dirname(hostsFile), 0o755);
  let lastError: Error | undefined;
  for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
    const port = await freePort();
    const args = [
      '--keep-in-foreground',
      '--conf-file=/dev/null',
      '--no-resolv',
      '--no-hosts',
      '--no-poll',
      `--addn-hosts=${hostsFile}`,
      '--listen-address=127.0.0.1',
      '--bind-interfaces',
      `--port=${port}`,
      `--local-ttl=${ttl}`,
      '--pid-file=',
      '--log-facility=-',
    ];
    const proc = resources.child(spawn(dnsmasq, args, { stdio: ['ignore', 'ignore', 'pipe'] }));
    let stderr = '';
    proc.stderr.setEncoding('utf8');
    proc.stderr.on('data', (c: string) => {
      if (stderr.length < 10_000) stderr += c;
    });
    const exited = new Promise<Error>((resolve) => proc.once('exit', (code) => resolve(new Error(`dnsmasq exited (${code}): ${stderr.trim()}`))));
    const probeName = records[0]?.name ?? 'probe.invalid';
    const outcome = await Promise.race([waitForDns('127.0.0.1', port, probeName, START_TIMEOUT_MS).then(() => undefined), exited]);
    if (outcome === undefined) return { port, pid: proc.pid ?? -1 };
    lastError = outcome;
  }
  throw lastError ?? new Error('dnsmasq did not start');
}
