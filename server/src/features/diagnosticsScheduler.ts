// When diagnostics are computed: per document, after a pause in its edits (debounced), and
// never twice at once for one document. A newer request for a document cancels the run in
// progress, which stops at its next slice (see fileDiagnosticsInSlices), so a burst of typing
// in a large file costs one run, not one per keystroke. Publishing is left to the caller.

export interface DiagnosticsSchedulerOptions<D> {
  delayMs: number;
  /** Computes a document's diagnostics; returns undefined when `cancelled()` became true. */
  compute(uri: string, cancelled: () => boolean): Promise<D | undefined>;
  publish(uri: string, diagnostics: D): void;
  /** Called with anything compute throws; the document then keeps its last diagnostics. */
  onError?(uri: string, err: unknown): void;
}

interface UriState {
  timer: NodeJS.Timeout | undefined;
  /** Bumped by every request; a run whose number is no longer current is stale. */
  generation: number;
}

export class DiagnosticsScheduler<D> {
  private readonly state = new Map<string, UriState>();

  constructor(private readonly opts: DiagnosticsSchedulerOptions<D>) {}

  /** Computes `uri`'s diagnostics after `delayMs` (default: the configured delay) without new requests. */
  schedule(uri: string, delayMs = this.opts.delayMs): void {
    let s = this.state.get(uri);
    if (!s) {
      s = { timer: undefined, generation: 0 };
      this.state.set(uri, s);
    }
    clearTimeout(s.timer);
    const generation = ++s.generation;
    const state = s;
    state.timer = setTimeout(() => {
      state.timer = undefined;
      void this.run(uri, state, generation);
    }, Math.max(0, delayMs));
  }

  /** Stops any pending or running computation for `uri` and forgets it. */
  cancel(uri: string): void {
    const s = this.state.get(uri);
    if (!s) return;
    clearTimeout(s.timer);
    s.generation++;
    this.state.delete(uri);
  }

  dispose(): void {
    for (const uri of [...this.state.keys()]) this.cancel(uri);
  }

  private async run(uri: string, state: UriState, generation: number): Promise<void> {
    const stale = (): boolean => state.generation !== generation || this.state.get(uri) !== state;
    try {
      const result = await this.opts.compute(uri, stale);
      if (result !== undefined && !stale()) this.opts.publish(uri, result);
    } catch (err) {
      this.opts.onError?.(uri, err);
    }
  }
}
