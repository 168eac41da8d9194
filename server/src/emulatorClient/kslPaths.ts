// The emulator's own endpoints under /ksl/v1, beside the Kubernetes API and behind the same
// token (served by emulator/src/apiserver/kslExtensions.ts). No real cluster has them.

/** `GET ?ip=&port=[&source=]` with `Upgrade: ksl-tcp`: a TCP stream from inside the emulated network (see dialClient.ts). */
export const DIAL_PATH = '/ksl/v1/dial';
/** `GET [?namespace=&name=]`: the iptables-save text kube-proxy would write, for all Services or one. */
export const RULES_PATH = '/ksl/v1/rules';
/** `GET`: keeps the LoadBalancer tunnel on while the request stays open, one line per change. */
export const TUNNEL_PATH = '/ksl/v1/tunnel';
