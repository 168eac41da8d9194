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

/** The character codes of the base32 alphabet, by 5-bit value. */
const BASE32_CODES = Uint8Array.from(BASE32_ALPHABET, (c) => c.charCodeAt(0));

/** Room for the longest prefix and the 16 hashed characters; reused by every name. */
const nameCodes: number[] = [];

/**
 * `prefix` followed by the first 16 characters of the RFC 4648 base32 form of sha256(text).
 * They are exactly the first 10 bytes (80 bits), so the rest of the digest and the padding
 * never matter. The name is made in one step from its character codes: a hundred thousand
 * endpoints make as many names, and building each from 25 one-character strings would leave
 * millions of short-lived strings for the garbage collector.
 */
function hashedName(prefix: string, text: string): string {
  const bytes = sha256(text);
  nameCodes.length = prefix.length + 16;
  let k = 0;
  for (; k < prefix.length; k++) nameCodes[k] = prefix.charCodeAt(k);
  // Each 5 bytes (40 bits) make 8 characters.
  for (let i = 0; i < 10; i += 5) {
    const b0 = bytes[i];
    const b1 = bytes[i + 1];
    const b2 = bytes[i + 2];
    const b3 = bytes[i + 3];
    const b4 = bytes[i + 4];
    nameCodes[k++] = BASE32_CODES[b0 >>> 3];
    nameCodes[k++] = BASE32_CODES[((b0 & 7) << 2) | (b1 >>> 6)];
    nameCodes[k++] = BASE32_CODES[(b1 >>> 1) & 31];
    nameCodes[k++] = BASE32_CODES[((b1 & 1) << 4) | (b2 >>> 4)];
    nameCodes[k++] = BASE32_CODES[((b2 & 15) << 1) | (b3 >>> 7)];
    nameCodes[k++] = BASE32_CODES[(b3 >>> 2) & 31];
    nameCodes[k++] = BASE32_CODES[((b3 & 3) << 3) | (b4 >>> 5)];
    nameCodes[k++] = BASE32_CODES[b4 & 31];
  }
  return String.fromCharCode.apply(null, nameCodes);
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
  return hashedName(prefix, spn + protocol.toLowerCase());
}

/** `KUBE-SEP-` + base32(sha256(spn + lower(protocol) + "IP:port"))[:16]. */
export function endpointChainName(spn: string, protocol: string, endpoint: string): string {
  return hashedName('KUBE-SEP-', spn + protocol.toLowerCase() + endpoint);
}

/** True for the per-service and per-endpoint chains (isServiceChainName in the proxier). */
export function isServiceChainName(chain: string): boolean {
  return SERVICE_CHAIN_PREFIXES.some((p) => chain.startsWith(p));
}
