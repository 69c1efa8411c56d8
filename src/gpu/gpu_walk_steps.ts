import type { ChannelMaps } from '../core/maps';
import { RandomWalkWebGpu } from './random_walk_webgpu';
import { TransitionWebGpu } from './transition_webgpu';

/**
 * The steps of the page's current GPU walk (random_walk_webgpu.ts). They stay
 * on the GPU; a view asks for step t and gets it once it has been read back.
 * One read is in flight at a time and only the newest waiting t is read next,
 * so scrubbing never queues up reads. The walk itself runs once per start:
 * moving t only reads. The analysis' embedding stays on the GPU too, so a
 * start builds its transition there (transition_webgpu.ts).
 */

/** Read-back steps kept on the CPU: the shown one and a few recent ones for scrubbing back. */
const CACHED_STEPS = 8;

export interface GpuStep {
  t: number;
  maps: ChannelMaps;
}

export interface GpuWalkInputs {
  /** Scores at t = 0, (C, H, W) on the embedding's grid. */
  scores: ChannelMaps;
  beta: number;
  steps: number;
}

export class GpuWalkSteps {
  private embedding: { maps: ChannelMaps; radius: number } | null = null;
  /** The embedding uploaded to the device of the latest walk (a lost device gets a new copy). */
  private transition: TransitionWebGpu | null = null;
  private walk: RandomWalkWebGpu | null = null;
  private walkId = 0;
  private readonly cache = new Map<number, ChannelMaps>();
  private reading = false;
  private queued: number | null = null;
  private latest: GpuStep | null = null;
  private readonly listeners = new Set<(walkId: number, t: number) => void>();

  /** Hears of every step read back for the current walk, so views can draw it. */
  subscribe(listener: (walkId: number, t: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A new analysis' AffinityNet embedding (D, H, W) and disc radius, for the walks that follow; the previous one is freed. */
  setEmbedding(maps: ChannelMaps, radius: number): void {
    this.clear();
    this.transition?.dispose();
    this.transition = null;
    this.embedding = { maps, radius };
  }

  /** Builds the transition and submits every step of a new walk (the previous one is freed); resolves with the GPU time once they are done. */
  async start(walkId: number, device: GPUDevice, inputs: GpuWalkInputs): Promise<number> {
    this.clear();
    if (!this.embedding) throw new Error('no embedding to build the transition from');
    const started = performance.now();
    if (this.transition?.device !== device) {
      this.transition?.dispose();
      this.transition = new TransitionWebGpu(device, this.embedding.maps, this.embedding.radius);
    }
    const { scores, beta, steps } = inputs;
    const walk = new RandomWalkWebGpu(device, { table: this.transition.table(beta), scores, steps });
    this.walk = walk;
    this.walkId = walkId;
    // t = 0 is the input itself: no read needed.
    this.remember(0, inputs.scores);
    await walk.finished;
    return performance.now() - started;
  }

  /** Step t if it has been read back, else the latest step read (and t is read next); null before any. */
  stepAt(t: number): GpuStep | null {
    const maps = this.cache.get(t);
    if (maps) return { t, maps };
    this.request(t);
    return this.latest;
  }

  /** Step t, reading it back if needed (for exports). */
  async read(t: number): Promise<ChannelMaps> {
    const cached = this.cache.get(t);
    if (cached) return cached;
    if (!this.walk) throw new Error('no GPU walk has run');
    return this.walk.mapsAt(t);
  }

  /** Several steps in one read-back (the mIoU curve's), not cached. */
  readMany(ts: number[]): Promise<ChannelMaps[]> {
    if (!this.walk) throw new Error('no GPU walk has run');
    return this.walk.mapsAtSteps(ts);
  }

  /** Frees the current walk's GPU buffers. */
  clear(): void {
    this.walk?.dispose();
    this.walk = null;
    this.cache.clear();
    this.latest = null;
    this.queued = null;
  }

  private request(t: number): void {
    if (this.reading) {
      this.queued = t;
      return;
    }
    const walk = this.walk;
    if (!walk || t < 0 || t > walk.steps) return;
    this.reading = true;
    const walkId = this.walkId;
    walk
      .mapsAt(t)
      .then((maps) => {
        if (this.walk !== walk) return;
        this.remember(t, maps);
        for (const listener of this.listeners) listener(walkId, t);
      })
      // A walk freed while its read was in flight has nothing left to show.
      .catch(() => undefined)
      .finally(() => {
        this.reading = false;
        const next = this.queued;
        this.queued = null;
        if (next !== null && !this.cache.has(next)) this.request(next);
      });
  }

  private remember(t: number, maps: ChannelMaps): void {
    this.cache.delete(t);
    this.cache.set(t, maps);
    // Map keeps insertion order: the first key is the least recently read.
    if (this.cache.size > CACHED_STEPS) this.cache.delete(this.cache.keys().next().value!);
    this.latest = { t, maps };
  }
}
