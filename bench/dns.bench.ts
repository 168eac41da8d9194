// Cluster DNS throughput: Debian's dnsperf on loopback against the emulator's DNS server and
// against dnsmasq serving the same names and addresses from a hosts file, in the same run,
// alternating so that noise from other work on the machine falls on both. The emulator's server
// runs in this process with a store of its own; nothing else runs here while dnsperf measures.

import { R } from '../emulator/src/api/resources';
import { startDnsServer } from '../emulator/src/dns/dnsServer';
import { Store } from '../emulator/src/store/store';
import { benchMain } from './lib/benchMain';
import { startDnsmasq, type HostRecord } from './lib/dnsmasq';
import { queryA } from './lib/dnsProbe';
import { runDnsperf, writeQueryFile, type DnsperfResult } from './lib/dnsperf';
import { atLeast, figure, skippedFigure, type Figure } from './lib/figures';
import { clusterIPAt, namespaceObject, podIPAt, storedService, storedSlice } from './lib/syntheticCluster';
import { findOrInstall } from './lib/tools';

const TTL = 30;
const ZONE = 'svc.cluster.local';

interface Sizes {
  namespaces: number;
  services: number;
  headless: number;
  endpointsPerHeadless: number;
  seconds: number;
  rounds: number;
}

const FULL: Sizes = { namespaces: 10, services: 1000, headless: 100, endpointsPerHeadless: 10, seconds: 10, rounds: 2 };
const QUICK: Sizes = { namespaces: 2, services: 100, headless: 10, endpointsPerHeadless: 10, seconds: 3, rounds: 1 };

/** The names both servers answer: ClusterIP Services (one A record) and headless ones (one per endpoint). */
function cluster(sizes: Sizes): { store: Store; records: HostRecord[]; names: string[] } {
  const store = new Store();
  const records: HostRecord[] = [];
  const names: string[] = [];
  for (let n = 0; n < sizes.namespaces; n++) store.create(R.namespaces, namespaceObject(`bench-${n}`));
  for (let i = 0; i < sizes.services; i++) {
    const ns = `bench-${i % sizes.namespaces}`;
    const name = `svc-${i}`;
    store.create(R.services, storedService(ns, name, clusterIPAt(i)));
    const fqdn = `${name}.${ns}.${ZONE}`;
    records.push({ name: fqdn, ip: clusterIPAt(i) });
    names.push(fqdn);
  }
  for (let i = 0; i < sizes.headless; i++) {
    const ns = `bench-${i % sizes.namespaces}`;
    const name = `headless-${i}`;
    const ips = Array.from({ length: sizes.endpointsPerHeadless }, (_, k) => podIPAt(i * sizes.endpointsPerHeadless + k));
    store.create(R.services, storedService(ns, name, 'None'));
    store.create(R.endpointslices, storedSlice(ns, name, ips));
    const fqdn = `${name}.${ns}.${ZONE}`;
    for (const ip of ips) records.push({ name: fqdn, ip });
    names.push(fqdn);
  }
  return { store, records, names };
}

const sameSet = (a: string[], b: string[]): boolean => a.length === b.length && [...a].sort().join() === [...b].sort().join();

benchMain({
  name: 'dns',
  timeoutMs: { full: 10 * 60_000, quick: 90_000 },
  async run({ quick, resources, log }) {
    const sizes = quick ? QUICK : FULL;
    const figureNames = { emulator: 'emulator DNS queries/s', dnsmasq: 'dnsmasq queries/s', ratio: 'emulator / dnsmasq' };
    const tools = findOrInstall({ dnsperf: 'dnsperf', dnsmasq: 'dnsmasq-base' }, log);
    if (tools.missing) {
      return {
        figures: [
          skippedFigure(figureNames.emulator, 'q/s', tools.missing),
          skippedFigure(figureNames.dnsmasq, 'q/s', tools.missing),
          skippedFigure(figureNames.ratio, 'ratio', tools.missing, atLeast(0.5)),
        ],
      };
    }
    const { store, records, names } = cluster(sizes);
    const dir = resources.tempDir('ksl-bench-dns-');
    const emulatorDns = await startDnsServer({ source: store, host: '127.0.0.1', port: 0, ttl: TTL });
    resources.defer(() => emulatorDns.close());
    const dnsmasq = await startDnsmasq(resources, tools.paths.dnsmasq, dir, records, TTL);
    log(`emulator DNS on 127.0.0.1:${emulatorDns.port}, dnsmasq on 127.0.0.1:${dnsmasq.port}, ${names.length} names, ${records.length} A records`);

    // Both must give the same answers, or the comparison means nothing.
    for (const name of [names[0], names[names.length - 1]]) {
      const [fromEmulator, fromDnsmasq] = await Promise.all([
        queryA('127.0.0.1', emulatorDns.port, name, 2000),
        queryA('127.0.0.1', dnsmasq.port, name, 2000),
      ]);
      if (!sameSet(fromEmulator, fromDnsmasq) || fromEmulator.length === 0) {
        throw new Error(`the servers disagree on ${name}: emulator ${fromEmulator.join(',')} / dnsmasq ${fromDnsmasq.join(',')}`);
      }
    }

    const queryFile = writeQueryFile(dir, names.map((name) => ({ name, type: 'A' })));
    const load = { queryFile, clients: 2, outstanding: 100 };
    // A short warm-up, so the emulator's handler is compiled before it is measured.
    await runDnsperf(resources, tools.paths.dnsperf, { ...load, host: '127.0.0.1', port: emulatorDns.port, seconds: 1 });
    const results: Record<'emulator' | 'dnsmasq', DnsperfResult[]> = { emulator: [], dnsmasq: [] };
    for (let round = 0; round < sizes.rounds; round++) {
      for (const server of ['emulator', 'dnsmasq'] as const) {
        const port = server === 'emulator' ? emulatorDns.port : dnsmasq.port;
        const r = await runDnsperf(resources, tools.paths.dnsperf, { ...load, host: '127.0.0.1', port, seconds: sizes.seconds });
        log(`${server} round ${round + 1}: ${Math.round(r.qps)} q/s, ${r.lost} lost, avg ${r.avgLatencyMs.toFixed(3)} ms`);
        results[server].push(r);
      }
    }
    const best = (rs: DnsperfResult[]): DnsperfResult => rs.reduce((a, b) => (b.qps > a.qps ? b : a));
    const emu = best(results.emulator);
    const ref = best(results.dnsmasq);
    const figures: Figure[] = [
      figure(figureNames.emulator, Math.round(emu.qps), 'q/s'),
      figure(figureNames.dnsmasq, Math.round(ref.qps), 'q/s'),
      figure(figureNames.ratio, Math.round((emu.qps / ref.qps) * 1000) / 1000, 'ratio', atLeast(0.5)),
      figure('emulator average latency', Math.round(emu.avgLatencyMs * 1000) / 1000, 'ms'),
      figure('dnsmasq average latency', Math.round(ref.avgLatencyMs * 1000) / 1000, 'ms'),
    ];
    return {
      figures,
      notes: [
        `${names.length} names (${sizes.services} ClusterIP Services, ${sizes.headless} headless with ${sizes.endpointsPerHeadless} endpoints each) in ${sizes.namespaces} namespaces, A queries over UDP with EDNS`,
        `dnsperf -c ${load.clients} -q ${load.outstanding} for ${sizes.seconds} s per round, ${sizes.rounds} round(s) alternating, best round reported; lost: emulator ${emu.lost}, dnsmasq ${ref.lost}`,
      ],
    };
  },
});
