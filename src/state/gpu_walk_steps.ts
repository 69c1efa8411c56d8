import type { ChannelMaps } from '../core/maps';

/**
 * The page's side of a walk on the GPU (it runs in the pipeline worker, on
 * tfjs' device): steps stay there, and a view asks for step t and gets it once
 * it has been read back. One read is in flight at a time and only the newest
 * waiting t is read next, so scrubbing never queues up reads; a few recent
 * steps are kept for scrubbing back. Nothing is read before the walk has run:
 * a read would wait for it anyway.
 */

/** Read-back steps kept on the page: the shown one and a few recent ones. */
const CACHED_STEPS = 8;

export interface GpuStep {
  t: number;
  maps: ChannelMaps;
}

/** Reads steps `ts` of page walk `walkId` back from the GPU. */
export type StepReader = (walkId: number, ts: number[]) => Promise<ChannelMaps[]>;

export class GpuWalkSteps {
  private walkId = 0;
  private ready = false;
  private readonly cache = new Map<number, ChannelMaps>();
  private reading = false;
  private queued: number | null = null;
  private latest: GpuStep | null = null;
  private readonly listeners = new Set<(walkId: number, t: number) => void>();

  constructor(private readonly reader: StepReader) {}

  /** Hears of every step read back for the current walk, so views can draw it. */
  subscribe(listener: (walkId: number, t: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A new walk has been asked for: the previous walk's steps are dropped, and reads wait for ran(). */
  begin(walkId: number): void {
    this.walkId = walkId;
    this.ready = false;
    this.cache.clear();
    this.latest = null;
    this.queued = null;
  }

  /** Walk `walkId` has run: a step asked for meanwhile is read now. */
  ran(walkId: number): void {
    if (walkId !== this.walkId) return;
    this.ready = true;
    const waiting = this.queued;
    this.queued = null;
    if (waiting !== null) this.request(waiting);
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
    return this.cache.get(t) ?? (await this.reader(this.walkId, [t]))[0];
  }

  /** Several steps in one read-back (the mIoU curve's), not cached. */
  readMany(ts: number[]): Promise<ChannelMaps[]> {
    return this.reader(this.walkId, ts);
  }

  private request(t: number): void {
    if (this.reading || !this.ready) {
      this.queued = t;
      return;
    }
    this.reading = true;
    const walkId = this.walkId;
    this.reader(walkId, [t])
      .then(([maps]) => {
        if (walkId !== this.walkId) return;
        this.remember(t, maps);
        for (const listener of this.listeners) listener(walkId, t);
      })
      // A walk replaced while its read was in flight has nothing left to show.
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
