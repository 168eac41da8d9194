// `/version`. The machine's kubectl is a dispatcher that runs the kubectl matching the server's
// minor version, so this must say 1.32 for kubectl to behave as documented in the reference.
export const KUBERNETES_VERSION = 'v1.32.4';

export function versionInfo(): Record<string, string> {
  return {
    major: '1',
    minor: '32',
    gitVersion: KUBERNETES_VERSION,
    gitCommit: '59526cd4867447956156ae3a602fcbac5db2e5bf',
    gitTreeState: 'clean',
    buildDate: '2025-04-22T16:03:22Z',
    goVersion: 'go1.23.6',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}
