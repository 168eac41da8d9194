// `kubectl get endpointslices`: printEndpointSlice, formatDiscoveryPorts and
// formatDiscoveryEndpoints.

import type { EndpointSlice, KubeObject } from '../../api/types';
import { ageColumn, column, listWithMore, nameColumn } from './commonColumns';
import { timestampSince } from './humanDuration';
import type { ResourcePrinter } from './tableTypes';

const columns = [
  nameColumn,
  column(
    'AddressType',
    'string',
    'addressType specifies the type of address carried by this EndpointSlice. All addresses in this slice must be the same type. This field is immutable after creation. The following address types are currently supported: * IPv4: Represents an IPv4 Address. * IPv6: Represents an IPv6 Address. * FQDN: Represents a Fully Qualified Domain Name.',
  ),
  column(
    'Ports',
    'string',
    'ports specifies the list of network ports exposed by each endpoint in this slice. Each port must have a unique name. When ports is empty, it indicates that there are no defined ports. When a port is defined with a nil port value, it indicates "all ports". Each slice may include a maximum of 100 ports.',
  ),
  column('Endpoints', 'string', 'endpoints is a list of unique endpoints in this slice. Each slice may include a maximum of 1000 endpoints.'),
  ageColumn,
];

/** Each port's number, else its name (even an empty one), else `*`; three at most, then ` + N more...`. */
export function formatSlicePorts(slice: EndpointSlice): string {
  return listWithMore(
    (slice.ports ?? []).map((p) => (typeof p.port === 'number' ? String(p.port) : typeof p.name === 'string' ? p.name : '*')),
  );
}

/** Every address of every endpoint, ready or not; three at most, then ` + N more...`. */
export function formatSliceEndpoints(slice: EndpointSlice): string {
  return listWithMore((slice.endpoints ?? []).flatMap((e) => e.addresses ?? []));
}

export const endpointSlicePrinter: ResourcePrinter = {
  columns,
  cells(obj: KubeObject, now: number): unknown[] {
    const slice = obj as EndpointSlice;
    return [
      slice.metadata.name ?? '',
      slice.addressType ?? '',
      formatSlicePorts(slice),
      formatSliceEndpoints(slice),
      timestampSince(slice.metadata.creationTimestamp, now),
    ];
  },
};
