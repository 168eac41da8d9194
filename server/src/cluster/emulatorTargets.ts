// Finding the emulator: `ksl serve` writes `<state-dir>/kubeconfig` and then
// `<state-dir>/endpoints.json` ({"api": url, "dns": "127.0.0.1:port"}) once it listens, and
// removes endpoints.json when it stops cleanly. So endpoints.json present means "try this
// URL", absent means "not running"; the kubeconfig next to it has the token and the CA.

import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from './clock';
import { WatchedTargets, type TargetSource, type TargetState } from './clusterTargets';
import { loadKubeconfig } from './kubeconfigConnection';

export { ENDPOINTS_FILE } from '../emulatorClient/endpointsFile';
import { ENDPOINTS_FILE } from '../emulatorClient/endpointsFile';
export const KUBECONFIG_FILE = 'kubeconfig';
export const NOT_RUNNING = 'the emulator is not running';

export interface EmulatorTargetsOptions {
  stateDir: string;
  clock: Clock;
  log: (message: string) => void;
  pollMs?: number;
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

interface EndpointsInfo {
  api: string;
  dns: string | undefined;
  clusterDomain: string;
}

function endpointsOf(endpointsJson: string): EndpointsInfo | undefined {
  try {
    const parsed = JSON.parse(endpointsJson) as { api?: unknown; dns?: unknown; clusterDomain?: unknown };
    if (typeof parsed?.api !== 'string') return undefined;
    const url = new URL(parsed.api);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
    return {
      api: parsed.api,
      dns: typeof parsed.dns === 'string' && parsed.dns ? parsed.dns : undefined,
      // Files from versions before the setting existed name no domain: theirs was the default.
      clusterDomain: typeof parsed.clusterDomain === 'string' && parsed.clusterDomain ? parsed.clusterDomain : 'cluster.local',
    };
  } catch {
    return undefined;
  }
}

export function emulatorTargets(opts: EmulatorTargetsOptions): TargetSource {
  const { stateDir, log } = opts;
  const read = async (previous: TargetState): Promise<TargetState> => {
    const endpoints = await readText(join(stateDir, ENDPOINTS_FILE));
    if (endpoints === undefined) return { reason: NOT_RUNNING };
    const info = endpointsOf(endpoints);
    // A half-written file reads as invalid for a moment; the next event or poll reads it whole.
    if (!info) return { reason: `${NOT_RUNNING} (${join(stateDir, ENDPOINTS_FILE)} names no API URL)` };
    const kubeconfigPath = join(stateDir, KUBECONFIG_FILE);
    const kubeconfig = await readText(kubeconfigPath);
    if (kubeconfig === undefined) return { reason: `${NOT_RUNNING} (${kubeconfigPath} is missing)` };
    // The write time is part of the key: an emulator restarted on fixed ports writes identical
    // files, and its new process still deserves a fresh connection rather than a late retry.
    const written = await stat(join(stateDir, ENDPOINTS_FILE)).then((st) => st.mtimeMs, () => 0);
    const key = `${endpoints}\u0000${written}\u0000${kubeconfig}`;
    if (previous.target?.key === key) return previous;
    try {
      const { api } = info;
      const ctx = await loadKubeconfig(kubeconfig, { path: kubeconfigPath, server: api });
      return {
        target: {
          key,
          source: { kind: 'emulator', stateDir, url: api },
          label: `emulator at ${api}`,
          defaultNamespace: ctx.namespace,
          connection: ctx.connection,
          emulator: { dns: info.dns, clusterDomain: info.clusterDomain },
        },
      };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      log(`the emulator's kubeconfig ${kubeconfigPath} is unusable: ${message}`);
      return { reason: `${NOT_RUNNING} (its kubeconfig is unusable: ${message})` };
    }
  };
  return new WatchedTargets({
    read,
    initial: { reason: `looking for the emulator in ${stateDir}` },
    directory: stateDir,
    files: [ENDPOINTS_FILE, KUBECONFIG_FILE],
    clock: opts.clock,
    pollMs: opts.pollMs ?? 2000,
    log,
  });
}
