// The pods' side of the data plane: which pod owns an IP, whether something in it listens on
// a port, and the HTTP answers its simulated containers give. A connection that reaches a pod
// is handed to one in-process HTTP server; the pod and port it was meant for travel with it.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { R } from '../api/resources';
import type { Container, KubeObject, Pod } from '../api/types';
import type { StoreEvent } from '../store/store';
import { containerBehaviour, type ContainerBehaviour } from './containerImages';
import { duplexPair } from './duplexPair';
import { nginxErrorPage, nginxWelcomePage } from './nginxPages';

export interface PodSource {
  list(resource: string, namespace?: string): KubeObject[];
  subscribe(listener: (e: StoreEvent) => void): () => void;
}

/** Why a connection to a pod did not open, in the words a user needs to fix it. */
export type PodConnectFailure =
  | { reason: 'no-pod'; message: string }
  | { reason: 'not-running'; message: string; pod: Pod }
  | { reason: 'refused'; message: string; pod: Pod };

export type PodConnectResult =
  | { ok: true; pod: Pod; container: Container; stream: Duplex }
  | ({ ok: false } & PodConnectFailure);

interface ConnectionTarget {
  pod: Pod;
  container: Container;
  behaviour: ContainerBehaviour;
  port: number;
  clientIP: string;
}

function podIPs(pod: Pod): string[] {
  const ips = (pod.status?.podIPs ?? []).map((p) => p.ip);
  if (pod.status?.podIP && !ips.includes(pod.status.podIP)) ips.push(pod.status.podIP);
  return ips;
}

function declaresPort(container: Container, port: number, protocol: string): boolean {
  return (container.ports ?? []).some((p) => p.containerPort === port && (p.protocol ?? 'TCP') === protocol);
}

export class SimulatedPods {
  private readonly byIP = new Map<string, Pod>();
  private readonly unsubscribe: () => void;
  private readonly http: Server;
  private readonly targets = new WeakMap<object, ConnectionTarget>();
  private readonly open = new Set<Duplex>();

  constructor(source: PodSource) {
    for (const pod of source.list(R.pods) as Pod[]) this.index(pod);
    this.unsubscribe = source.subscribe((e) => {
      if (e.resource !== R.pods) return;
      if (e.old) this.unindex(e.old as Pod);
      if (e.type !== 'DELETED') this.index(e.object as Pod);
    });
    this.http = createServer((req, res) => this.answer(req, res));
    this.http.keepAliveTimeout = 5_000;
  }

  private index(pod: Pod): void {
    for (const ip of podIPs(pod)) this.byIP.set(ip, pod);
  }

  private unindex(pod: Pod): void {
    for (const ip of podIPs(pod)) if (this.byIP.get(ip)?.metadata.uid === pod.metadata.uid) this.byIP.delete(ip);
  }

  podByIP(ip: string): Pod | undefined {
    return this.byIP.get(ip);
  }

  /**
   * Opens a TCP connection to `ip:port` inside the pod network. It succeeds when a running
   * pod owns the IP and one of its containers declares the port and listens on it; it is
   * refused otherwise, as the pod's kernel would refuse it.
   */
  connect(ip: string, port: number, clientIP: string): PodConnectResult {
    const pod = this.byIP.get(ip);
    if (!pod) return { ok: false, reason: 'no-pod', message: `no pod has the IP ${ip}` };
    const name = `${pod.metadata.namespace}/${pod.metadata.name}`;
    if (pod.status?.phase !== 'Running') {
      return { ok: false, reason: 'not-running', pod, message: `pod ${name} is ${pod.status?.phase ?? 'Pending'}, not Running` };
    }
    const container = pod.spec.containers.find((c) => declaresPort(c, port, 'TCP'));
    if (!container) {
      return { ok: false, reason: 'refused', pod, message: `no container of pod ${name} declares TCP port ${port}` };
    }
    const behaviour = containerBehaviour(container);
    if (behaviour.kind !== 'generic' && !behaviour.listenPorts.includes(port)) {
      return {
        ok: false,
        reason: 'refused',
        pod,
        message: `container "${container.name}" of pod ${name} declares port ${port}, but ${behaviour.kind} listens on ${behaviour.listenPorts.join(', ')}`,
      };
    }
    const [client, server] = duplexPair();
    server.remoteAddress = clientIP;
    this.targets.set(server, { pod, container, behaviour, port, clientIP });
    this.open.add(client);
    client.once('close', () => this.open.delete(client));
    this.http.emit('connection', server);
    return { ok: true, pod, container, stream: client };
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    const target = this.targets.get(req.socket);
    if (!target) {
      res.destroy();
      return;
    }
    res.setHeader('X-Ksl-Pod', target.pod.metadata.name ?? '');
    switch (target.behaviour.kind) {
      case 'nginx':
        return answerNginx(req, res, target.behaviour);
      case 'http-echo':
        return answerHttpEcho(req, res, target.behaviour);
      case 'generic':
        return answerGeneric(req, res, target);
    }
  }

  close(): void {
    this.unsubscribe();
    for (const s of this.open) s.destroy();
    this.open.clear();
    this.http.close();
  }
}

function send(req: IncomingMessage, res: ServerResponse, status: number, type: string, body: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', type);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(req.method === 'HEAD' ? undefined : body);
}

const NGINX_STARTED = new Date('2024-10-02T15:13:19Z').toUTCString();

function answerNginx(req: IncomingMessage, res: ServerResponse, b: ContainerBehaviour): void {
  res.setHeader('Server', `nginx/${b.version}`);
  const path = (req.url ?? '/').split('?')[0];
  if (path !== '/' && path !== '/index.html') {
    send(req, res, 404, 'text/html', nginxErrorPage(404, 'Not Found', b.version));
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    send(req, res, 405, 'text/html', nginxErrorPage(405, 'Not Allowed', b.version));
    return;
  }
  res.setHeader('Last-Modified', NGINX_STARTED);
  res.setHeader('Accept-Ranges', 'bytes');
  send(req, res, 200, 'text/html', nginxWelcomePage());
}

function answerHttpEcho(req: IncomingMessage, res: ServerResponse, b: ContainerBehaviour): void {
  res.setHeader('X-App-Name', 'http-echo');
  res.setHeader('X-App-Version', b.version);
  if ((req.url ?? '/').split('?')[0] === '/health') {
    send(req, res, 200, 'application/json', '{"status":"ok"}\n');
    return;
  }
  send(req, res, b.statusCode ?? 200, 'text/plain; charset=utf-8', `${b.text ?? ''}\n`);
}

function answerGeneric(req: IncomingMessage, res: ServerResponse, t: ConnectionTarget): void {
  const body = [
    `Pod ${t.pod.metadata.namespace}/${t.pod.metadata.name}, IP ${t.pod.status?.podIP ?? '<none>'}, port ${t.port}`,
    `container "${t.container.name}" (image ${t.container.image ?? '<none>'}) is simulated by Kube Service Lab`,
    `${req.method} ${req.url} from ${t.clientIP}`,
    '',
  ].join('\n');
  send(req, res, 200, 'text/plain; charset=utf-8', body);
}
