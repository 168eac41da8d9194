// What a Service's Endpoints list as ready, read straight from a running emulator's store:
// the addresses kube-proxy sends the Service's traffic to, for tests to wait on and compare.

import { R } from '../../emulator/src/api/resources';
import type { Endpoints } from '../../emulator/src/api/types';
import type { Store } from '../../emulator/src/store/store';

/** The ready addresses of Service `namespace/name`'s Endpoints, sorted; none while it has no Endpoints. */
export function readyIPs(store: Store, name: string, namespace = 'default'): string[] {
  const ep = store.get(R.endpoints, namespace, name) as Endpoints | undefined;
  return (ep?.subsets ?? []).flatMap((s) => (s.addresses ?? []).map((a) => a.ip)).sort();
}
