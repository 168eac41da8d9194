// The view features hold for the server's whole life. It answers from the live cluster while
// that is connected and from the workspace's pod templates otherwise, and follows the target
// source: a new target (the emulator started, the kubeconfig changed) replaces the live
// connection, a vanished one drops it. Every switch of the answering view, and every change
// of target, is announced with connectionChanged; the live view's own changes are forwarded
// only while it answers.

import type { ClusterTarget, TargetSource, TargetState } from './clusterTargets';
import type { ClusterChange, ClusterSource, ClusterView } from './clusterView';
import type { WithDefaultNamespace } from './defaultNamespace';
import type { WithLiveTarget } from './liveTarget';
import { WorkspaceView } from './workspaceView';
import type { Deployment, EndpointSlice, KubeObject, Pod, Service } from '../validation/kubeTypes';

export interface SwitchingViewOptions {
  targets: TargetSource;
  /** Opens a live view of a target; it starts disconnected and reports when it connects. */
  connect: (target: ClusterTarget) => ClusterView;
  workspaceObjects: () => readonly KubeObject[];
  log: (message: string) => void;
}

const ALL_RESOURCES: ReadonlySet<string> = new Set(['services', 'pods', 'endpointslices', 'deployments', 'namespaces']);

interface Live {
  target: ClusterTarget;
  view: ClusterView;
  unsubscribe: () => void;
}

export class SwitchingView implements ClusterView, WithDefaultNamespace, WithLiveTarget {
  private readonly workspace: WorkspaceView;
  private readonly listeners = new Set<(change: ClusterChange) => void>();
  private readonly stopTargets: () => void;
  private live: Live | undefined;
  /** Whether the live view answers. Changes only together with an announcement. */
  private usingLive = false;
  private reason = '';
  private disposed = false;

  constructor(private readonly opts: SwitchingViewOptions) {
    this.workspace = new WorkspaceView({
      workspaceObjects: opts.workspaceObjects,
      defaultNamespace: () => this.defaultNamespace,
      reason: () => (this.live ? this.live.view.describe() : this.reason),
      log: opts.log,
    });
    this.stopTargets = opts.targets.onDidChange(() => this.retarget());
    this.retarget();
  }

  private get active(): ClusterView {
    return this.usingLive && this.live ? this.live.view : this.workspace;
  }

  get source(): ClusterSource {
    return this.active.source;
  }

  get connected(): boolean {
    return this.usingLive && this.live !== undefined && this.live.view.connected;
  }

  get defaultNamespace(): string {
    return this.live?.target.defaultNamespace ?? 'default';
  }

  describe(): string {
    return this.active.describe();
  }

  liveTarget(): TargetState {
    if (this.live) return { target: this.live.target };
    return { reason: this.reason || 'no cluster target yet' };
  }

  namespaces(): readonly string[] {
    return this.active.namespaces();
  }

  services(namespace?: string): readonly Service[] {
    return this.active.services(namespace);
  }

  service(namespace: string, name: string): Service | undefined {
    return this.active.service(namespace, name);
  }

  pods(namespace?: string): readonly Pod[] {
    return this.active.pods(namespace);
  }

  endpointSlices(namespace: string, serviceName: string): readonly EndpointSlice[] {
    return this.active.endpointSlices(namespace, serviceName);
  }

  deployments(namespace?: string): readonly Deployment[] {
    return this.active.deployments(namespace);
  }

  onDidChange(listener: (change: ClusterChange) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.stopTargets();
    this.opts.targets.dispose();
    this.dropLive();
    this.workspace.dispose();
    this.listeners.clear();
  }

  private retarget(): void {
    if (this.disposed) return;
    const state = this.opts.targets.current();
    if (state.target && this.live?.target.key === state.target.key) return;
    this.dropLive();
    if (state.target) {
      const target = state.target;
      this.opts.log(`cluster: connecting to ${target.label}`);
      const view = this.opts.connect(target);
      this.live = { target, view, unsubscribe: view.onDidChange((change) => this.liveChanged(view, change)) };
    } else {
      this.reason = state.reason;
      this.opts.log(`cluster: using the workspace's pod templates (${state.reason})`);
    }
    this.reevaluate(true);
  }

  private dropLive(): void {
    if (!this.live) return;
    this.live.unsubscribe();
    this.live.view.dispose();
    this.live = undefined;
  }

  private liveChanged(view: ClusterView, change: ClusterChange): void {
    if (this.disposed || this.live?.view !== view) return;
    if (this.reevaluate(change.connectionChanged)) return;
    if (this.usingLive) this.emit(change);
  }

  /** Picks the answering view; announces a switch, or any connection news. Returns whether it announced. */
  private reevaluate(connectionNews: boolean): boolean {
    const useLive = this.live !== undefined && this.live.view.connected;
    const switched = useLive !== this.usingLive;
    this.usingLive = useLive;
    if (switched) this.opts.log(`cluster: now using ${this.describe()}`);
    if (!switched && !connectionNews) return false;
    this.emit({ resources: ALL_RESOURCES, connectionChanged: true });
    return true;
  }

  private emit(change: ClusterChange): void {
    for (const l of [...this.listeners]) {
      try {
        l(change);
      } catch (err) {
        this.opts.log(`a cluster change listener failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
}
