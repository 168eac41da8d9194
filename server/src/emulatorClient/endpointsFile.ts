// `<state-dir>/endpoints.json`: how tools and the editor find a running emulator. `ksl serve`
// writes it once every listener is up and removes it when it stops cleanly.

export const ENDPOINTS_FILE = 'endpoints.json';

export interface EndpointsFile {
  /** The Kubernetes API URL. */
  api: string;
  /** The cluster DNS server, `127.0.0.1:<port>`. */
  dns: string;
  /** The cluster's DNS domain (absent in files from older versions: `cluster.local`). */
  clusterDomain?: string;
}
