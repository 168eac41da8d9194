// The names kube-proxy gives its per-service and per-endpoint iptables chains
// (pkg/proxy/iptables/proxier.go: portProtoHash, servicePortEndpointChainName). iptables
// chain names are limited to 28 characters, so kube-proxy hashes the service port name and
// keeps 16 characters of its base32 form. Users see these names in `iptables-save` output,
// so they must come out byte for byte as on a real node.

import * as crypto from 'node:crypto';

/** The prefixes of the chains kube-proxy creates per service port. */
export type ServiceChainPrefix = 'KUBE-SVC-' | 'KUBE-SVL-' | 'KUBE-EXT-' | 'KUBE-FW-';

export const SERVICE_CHAIN_PREFIXES: readonly string[] = ['KUBE-SVC-', 'KUBE-SVL-', 'KUBE-EXT-', 'KUBE-FW-', 'KUBE-SEP-'];

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** The one-shot hash of Node >= 20.12 skips the Hash object; older runtimes take the long way. */
const sha256: (text: string) => Uint8Array =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'buffer')
    : (text) => crypto.createHash('sha256').update(text, 'utf8').digest();

/**
 * The first 16 characters of the RFC 4648 base32 form of sha256(text). They are exactly the
 * first 10 bytes (80 bits), so the rest of the digest and the padding never matter.
 */
function hash16(text: string): string {
  const bytes = sha256(text);
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (let i = 0; i < 10; i++) {
    buffer = ((buffer << 8) | bytes[i]) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += BASE32_ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

/**
 * The string kube-proxy uses for a service port (ServicePortName.String): `ns/name`, plus
 * `:portName` when the port is named.
 */
export function servicePortName(namespace: string, name: string, portName?: string): string {
  return `${namespace}/${name}${portName ? `:${portName}` : ''}`;
}

/** `KUBE-SVC-`/`KUBE-SVL-`/`KUBE-EXT-`/`KUBE-FW-` + base32(sha256(spn + lower(protocol)))[:16]. */
export function servicePortChainName(prefix: ServiceChainPrefix, spn: string, protocol: string): string {
  return prefix + hash16(spn + protocol.toLowerCase());
}

/** `KUBE-SEP-` + base32(sha256(spn + lower(protocol) + "IP:port"))[:16]. */
export function endpointChainName(spn: string, protocol: string, endpoint: string): string {
  return 'KUBE-SEP-' + hash16(spn + protocol.toLowerCase() + endpoint);
}

/** True for the per-service and per-endpoint chains (isServiceChainName in the proxier). */
export function isServiceChainName(chain: string): boolean {
  return SERVICE_CHAIN_PREFIXES.some((p) => chain.startsWith(p));
}
