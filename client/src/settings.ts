// The extension's settings (`ksl.*` in package.json), read in one place with their defaults,
// and turned into `ksl serve` flags.

import * as vscode from 'vscode';

export interface EmulatorSettings {
  autoStart: boolean;
  apiPort: number;
  dnsPort: number;
  serviceCIDR: string;
  podCIDR: string;
  nodePortRange: string;
  clusterDomain: string;
  podReadyDelayMs: number;
  dnsTTL: number;
}

export type ClusterSourceSetting = { kind: 'emulator' } | { kind: 'kubeconfig'; kubeconfig: string; context: string };

export function emulatorSettings(): EmulatorSettings {
  const c = vscode.workspace.getConfiguration('ksl');
  return {
    autoStart: c.get<boolean>('emulator.autoStart', false),
    apiPort: c.get<number>('emulator.apiPort', 0),
    dnsPort: c.get<number>('emulator.dnsPort', 0),
    serviceCIDR: c.get<string>('emulator.serviceCIDR', '10.96.0.0/12'),
    podCIDR: c.get<string>('emulator.podCIDR', '10.244.0.0/24'),
    nodePortRange: c.get<string>('emulator.nodePortRange', '30000-32767'),
    clusterDomain: c.get<string>('emulator.clusterDomain', 'cluster.local'),
    podReadyDelayMs: c.get<number>('emulator.podReadyDelay', 1000),
    dnsTTL: c.get<number>('emulator.dnsTTL', 30),
  };
}

/** The cluster the language server and the tree look at. */
export function clusterSource(): ClusterSourceSetting {
  const c = vscode.workspace.getConfiguration('ksl');
  const source = c.get<string>('cluster.source', 'emulator');
  if (source === 'kubeconfig') {
    return { kind: 'kubeconfig', kubeconfig: c.get<string>('cluster.kubeconfig', ''), context: c.get<string>('cluster.context', '') };
  }
  return { kind: 'emulator' };
}

export function serveArgs(s: EmulatorSettings, stateDir: string): string[] {
  return [
    'serve',
    '--state-dir',
    stateDir,
    '--api-port',
    String(s.apiPort),
    '--dns-port',
    String(s.dnsPort),
    '--service-cidr',
    s.serviceCIDR,
    '--pod-cidr',
    s.podCIDR,
    '--node-port-range',
    s.nodePortRange,
    '--cluster-domain',
    s.clusterDomain,
    '--pod-ready-delay',
    String(s.podReadyDelayMs),
    '--dns-ttl',
    String(s.dnsTTL),
  ];
}
