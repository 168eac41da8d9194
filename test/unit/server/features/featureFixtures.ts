// What the feature tests share: documents written inline with a `<|>` caret, parsed the way
// the server parses them, and a cluster as the emulator would hold the lesson (three ready
// nginx pods behind Service web, with their EndpointSlice).

import { ManifestCache, type ManifestFile } from '../../../../server/src/documents';
import type { ClusterTarget, TargetState } from '../../../../server/src/cluster/clusterTargets';
import type { WithLiveTarget } from '../../../../server/src/cluster/liveTarget';
import type { Position } from '../../../../server/src/manifest/positions';
import type { Endpoint, EndpointSlice, Pod, Service } from '../../../../server/src/validation/kubeTypes';
import { FakeClusterView, webPods, type FakeClusterContents } from '../cluster/fakeClusterView';

export const URI = 'file:///work/web.yaml';

/** The text without its `<|>` marker, and the marker's position. */
export function caret(marked: string): { text: string; position: Position } {
  const at = marked.indexOf('<|>');
  if (at < 0) throw new Error('the text has no <|> caret');
  const text = marked.slice(0, at) + marked.slice(at + 3);
  const before = text.slice(0, at).split('\n');
  return { text, position: { line: before.length - 1, character: before[before.length - 1]!.length } };
}

export function manifest(text: string, uri = URI): ManifestFile {
  return new ManifestCache().update(uri, 1, text);
}

/** A Service as the emulator stores it: defaulted, with a ClusterIP. */
export function liveService(name: string, spec: Partial<Service['spec']> = {}, namespace = 'default'): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace, uid: `u-${name}`, resourceVersion: '7' },
    spec: {
      type: 'ClusterIP',
      clusterIP: '10.96.12.4',
      clusterIPs: ['10.96.12.4'],
      selector: { app: 'web' },
      ports: [{ port: 80, targetPort: 80, protocol: 'TCP' }],
      sessionAffinity: 'None',
      ...spec,
    },
    status: { loadBalancer: {} },
  };
}

export interface EndpointShape {
  ip: string;
  pod: string;
  ready?: boolean;
  node?: string;
}

export function endpointSlice(service: string, endpoints: EndpointShape[], ports: { name?: string; port: number; protocol?: string }[], namespace = 'default'): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: `${service}-abcde`, namespace, labels: { 'kubernetes.io/service-name': service } },
    addressType: 'IPv4',
    endpoints: endpoints.map(
      (e): Endpoint => ({
        addresses: [e.ip],
        conditions: { ready: e.ready ?? true },
        targetRef: { kind: 'Pod', name: e.pod, namespace },
        nodeName: e.node ?? 'ksl',
      }),
    ),
    ports: ports.map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP' })),
  };
}

/** The lesson's three web pods, with the IPs 10.244.0.15, .16 and .17. */
export function lessonPods(ready = true): Pod[] {
  return webPods(3, { ready }).map((p, i) => ({ ...p, status: { ...p.status, podIP: `10.244.0.${15 + i}` }, spec: { ...p.spec, nodeName: 'ksl' } }));
}

export function lessonSlice(pods: Pod[] = lessonPods()): EndpointSlice {
  return endpointSlice(
    'web',
    pods.map((p) => ({ ip: p.status!.podIP!, pod: p.metadata.name!, ready: p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') })),
    [{ port: 80 }],
  );
}

/** A fake view that also answers liveTarget(), as the server's switching view does. */
export class TargetedView extends FakeClusterView implements WithLiveTarget {
  constructor(
    contents: FakeClusterContents,
    private readonly target: Partial<ClusterTarget> | undefined,
  ) {
    super(contents);
  }

  liveTarget(): TargetState {
    if (!this.target) return { reason: 'the emulator is not running' };
    return {
      target: {
        key: 'k',
        source: this.source,
        label: this.label,
        defaultNamespace: 'default',
        connection: { server: 'https://127.0.0.1:1', prepare: async () => undefined },
        ...this.target,
      },
    };
  }
}

/** The lesson as the emulator runs it. */
export function lessonView(extra: FakeClusterContents = {}): FakeClusterView {
  const pods = lessonPods();
  return new FakeClusterView({ pods, services: [liveService('web')], endpointSlices: [lessonSlice(pods)], label: 'emulator at https://127.0.0.1:4321', ...extra });
}

export const serviceYaml = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: ClusterIP
  selector:
    app: web
  ports:
    - port: 80
      targetPort: 80
`;
