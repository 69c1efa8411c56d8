import type { ChannelMaps } from '../core/maps';
import type { AffinityInputs, WalkReply, WalkRequest } from './walk_protocol';

/**
 * The page's side of the random-walk worker. Walk steps are large and arrive
 * often, so they stay here (not in the store); listeners hear about them and
 * read what they need. Replies for anything but the latest request are dropped.
 */

export interface AffinityGraph {
  inputsId: number;
  height: number;
  width: number;
  offsets: { dy: number; dx: number }[];
  weights: Float32Array;
  boundary: Float32Array;
}

export type WalkParams = Omit<Extract<WalkRequest, { type: 'walk' }>, 'type' | 'walkId' | 'inputsId'>;

export type WalkEvent =
  | { type: 'affinities'; graph: AffinityGraph }
  | { type: 'steps'; walkId: number; available: number }
  | { type: 'miou'; walkId: number; ts: number[]; values: number[] }
  | { type: 'done'; walkId: number; millis: number }
  | { type: 'row'; walkId: number; cell: number; t: number; row: Float32Array }
  | { type: 'error'; message: string };

export class WalkClient {
  private worker: Worker | null = null;
  private inputsId = 0;
  private walkId = 0;
  private height = 0;
  private width = 0;
  private steps: Float32Array[] = [];
  private graph: AffinityGraph | null = null;
  private readonly listeners = new Set<(event: WalkEvent) => void>();
  /** One transition-row request in flight at a time; the newest waiting one replaces older ones. */
  private rowPending = false;
  private rowQueued: { cell: number; t: number } | null = null;

  subscribe(listener: (event: WalkEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** New network outputs; clears every step and the affinity graph of the previous image. */
  setInputs(cams: ChannelMaps, affinity: AffinityInputs): number {
    this.inputsId++;
    this.walkId++;
    this.steps = [];
    this.graph = null;
    this.height = cams.height;
    this.width = cams.width;
    this.post({ type: 'inputs', inputsId: this.inputsId, cams, affinity });
    return this.inputsId;
  }

  /** Starts a walk on the current inputs; earlier walks are cancelled. */
  start(params: WalkParams): number {
    this.walkId++;
    this.steps = [];
    this.rowQueued = null;
    this.post({ type: 'walk', walkId: this.walkId, inputsId: this.inputsId, ...params });
    return this.walkId;
  }

  /** Steps computed so far for the current walk (t = 0 … available - 1). */
  get available(): number {
    return this.steps.length;
  }

  /** Score maps after t steps, or the latest available step while the walk is still running. */
  mapsAt(t: number): ChannelMaps | null {
    if (this.steps.length === 0) return null;
    const data = this.steps[Math.min(t, this.steps.length - 1)];
    return { data, channels: data.length / (this.height * this.width), height: this.height, width: this.width };
  }

  affinityGraph(): AffinityGraph | null {
    return this.graph;
  }

  requestRow(cell: number, t: number): void {
    if (this.rowPending) {
      this.rowQueued = { cell, t };
      return;
    }
    this.rowPending = true;
    this.post({ type: 'row', walkId: this.walkId, cell, t });
  }

  /** Hands steps a GPU walk computed to the worker, which answers with their mIoU ('miou'). */
  scoreSteps(walkId: number, ts: number[], maps: ChannelMaps[]): void {
    if (walkId !== this.walkId) return;
    this.post({ type: 'score', walkId, ts, maps }, maps.map((m) => m.data.buffer));
  }

  private post(request: WalkRequest, transfer: Transferable[] = []): void {
    if (!this.worker) {
      this.worker = new Worker(new URL('./walk_worker.ts', import.meta.url), { type: 'module' });
      this.worker.onmessage = (e: MessageEvent<WalkReply>) => this.receive(e.data);
      this.worker.onerror = (e) => this.emit({ type: 'error', message: `random-walk worker failed: ${e.message}` });
    }
    this.worker.postMessage(request, transfer);
  }

  private receive(reply: WalkReply): void {
    switch (reply.type) {
      case 'affinities':
        if (reply.inputsId !== this.inputsId) return;
        this.graph = { ...reply };
        this.emit({ type: 'affinities', graph: this.graph });
        return;
      case 'steps':
        if (reply.walkId !== this.walkId || reply.from !== this.steps.length) return;
        this.steps.push(...reply.maps);
        this.emit({ type: 'steps', walkId: reply.walkId, available: this.steps.length });
        return;
      case 'row': {
        this.rowPending = false;
        const queued = this.rowQueued;
        this.rowQueued = null;
        if (queued) this.requestRow(queued.cell, queued.t);
        if (reply.walkId === this.walkId && reply.row.length > 0) this.emit(reply);
        return;
      }
      case 'miou':
      case 'done':
        if (reply.walkId === this.walkId) this.emit(reply);
        return;
      case 'error':
        if (reply.walkId === null || reply.walkId === this.walkId) this.emit({ type: 'error', message: reply.message });
    }
  }

  private emit(event: WalkEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

/** The app's one walk client (module level, like the pipeline registry). */
export const walkClient = new WalkClient();
