// The loopback data plane: opens a connection inside the emulated network the way a node's
// kernel would. kube-proxy's rules decide first (DNAT to an endpoint, REJECT, DROP, or no
// change); then the destination pod accepts or refuses. Every way in (NodePort listeners,
// the tunnel, `ksl curl`, `ksl port-forward`) goes through `connect`, so all of them obey the
// same rules that `ksl rules` prints.

import type { Duplex } from 'node:stream';
import type { Pod } from '../api/types';
import type { SimulatedPods } from '../pods/simulatedPods';
import type { NewConnection, Verdict } from './ruleEvaluator';

export interface PacketRouter {
  route(conn: NewConnection): Verdict;
}

export interface DialRequest {
  srcIP: string;
  dstIP: string;
  dstPort: number;
  protocol?: 'TCP' | 'UDP' | 'SCTP';
}

export type DialError = 'refused' | 'timeout' | 'unreachable';

export type DialOutcome =
  | { ok: true; stream: Duplex; pod: Pod; podIP: string; podPort: number; verdict: Verdict }
  | { ok: false; error: DialError; message: string; verdict: Verdict };

export interface DataPlaneOptions {
  router: PacketRouter;
  pods: SimulatedPods;
  /** Addresses that are the node itself (NodePorts and the tunnel answer there). */
  nodeIPs: readonly string[];
}

export class DataPlane {
  constructor(private readonly opts: DataPlaneOptions) {}

  private isLocal(ip: string): boolean {
    return this.opts.nodeIPs.includes(ip) || ip.startsWith('127.');
  }

  connect(req: DialRequest): DialOutcome {
    const protocol = req.protocol ?? 'TCP';
    const dstIsLocal = this.isLocal(req.dstIP);
    const verdict = this.opts.router.route({ srcIP: req.srcIP, dstIP: req.dstIP, dstPort: req.dstPort, protocol, dstIsLocal });
    const target = `${req.dstIP}:${req.dstPort}`;
    switch (verdict.kind) {
      case 'reject':
        return { ok: false, error: 'refused', verdict, message: `connection to ${target} refused: ${verdict.reason}` };
      case 'drop':
        return { ok: false, error: 'timeout', verdict, message: `connection to ${target} timed out: ${verdict.reason}` };
      case 'accept':
      case 'dnat': {
        const ip = verdict.kind === 'dnat' ? verdict.ip : req.dstIP;
        const port = verdict.kind === 'dnat' ? verdict.port : req.dstPort;
        if (protocol !== 'TCP') {
          return { ok: false, error: 'refused', verdict, message: `only TCP connections are simulated, not ${protocol}` };
        }
        const opened = this.opts.pods.connect(ip, port, req.srcIP);
        if (opened.ok) return { ok: true, stream: opened.stream, pod: opened.pod, podIP: ip, podPort: port, verdict };
        if (opened.reason === 'no-pod') {
          // Nothing owns the address: a ClusterIP port without a rule, or an IP outside the
          // cluster. The packet is routed away and never answered, as on a real node.
          if (this.isLocal(ip)) {
            return { ok: false, error: 'refused', verdict, message: `connection to ${ip}:${port} refused: nothing listens there on the node` };
          }
          return {
            ok: false,
            error: 'timeout',
            verdict,
            message: `nothing answers at ${target}: no kube-proxy rule matches it (is ${req.dstPort} a port of the Service?) and no pod has the IP ${ip}, so the packet is routed away and the client waits until it times out`,
          };
        }
        return { ok: false, error: 'refused', verdict, message: `connection to ${ip}:${port} refused: ${opened.message}` };
      }
    }
  }
}
