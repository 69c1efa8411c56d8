import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMaps } from '../core/maps';
import type { WalkReply, WalkRequest } from './walk_protocol';
import { WalkClient, WalkEvent } from './walk_client';

/** Stands in for the module worker: records requests, lets the test send replies. */
class FakeWorker {
  static last: FakeWorker;
  readonly sent: WalkRequest[] = [];
  onmessage: ((e: MessageEvent<WalkReply>) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  constructor() {
    FakeWorker.last = this;
  }
  postMessage(request: WalkRequest): void {
    this.sent.push(request);
  }
  reply(reply: WalkReply): void {
    this.onmessage?.({ data: reply } as MessageEvent<WalkReply>);
  }
}

const PARAMS = { keep: [0], alpha: 16, beta: 8, steps: 4, stride: 8, region: { width: 16, height: 16 }, evaluation: null, on: 'worker' as const };

describe('WalkClient', () => {
  let client: WalkClient;
  let events: WalkEvent[];
  beforeEach(() => {
    vi.stubGlobal('Worker', FakeWorker);
    client = new WalkClient();
    events = [];
    client.subscribe((e) => events.push(e));
    client.setInputs(createMaps(1, 2, 2), { embedding: createMaps(3, 2, 2), radius: 5 });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('keeps steps of the latest walk only, in order', () => {
    const first = client.start(PARAMS);
    const second = client.start({ ...PARAMS, beta: 4 });
    const maps = (v: number) => [new Float32Array(8).fill(v)];
    FakeWorker.last.reply({ type: 'steps', walkId: first, from: 0, maps: maps(1) });
    expect(client.available).toBe(0);
    FakeWorker.last.reply({ type: 'steps', walkId: second, from: 0, maps: maps(2) });
    FakeWorker.last.reply({ type: 'steps', walkId: second, from: 1, maps: maps(3) });
    expect(client.available).toBe(2);
    expect(client.mapsAt(1)!.data[0]).toBe(3);
    // Asking past the computed steps shows the latest one; shape comes from the inputs.
    expect(client.mapsAt(200)).toMatchObject({ channels: 2, height: 2, width: 2 });
    FakeWorker.last.reply({ type: 'done', walkId: first, millis: 5 });
    expect(events.filter((e) => e.type === 'done')).toEqual([]);
  });

  it('keeps one transition-row request in flight and sends only the newest waiting one', () => {
    const walkId = client.start(PARAMS);
    client.requestRow(1, 4);
    client.requestRow(2, 4);
    client.requestRow(3, 4);
    const rows = () => FakeWorker.last.sent.filter((r) => r.type === 'row');
    expect(rows()).toHaveLength(1);
    FakeWorker.last.reply({ type: 'row', walkId, cell: 1, t: 4, row: new Float32Array(4) });
    expect(rows().map((r) => (r as { cell: number }).cell)).toEqual([1, 3]);
    expect(events.filter((e) => e.type === 'row')).toHaveLength(1);
  });

  it("sends the worker the latest GPU walk's steps only for scoring", () => {
    const first = client.start({ ...PARAMS, on: 'gpu' });
    const second = client.start({ ...PARAMS, on: 'gpu' });
    client.scoreSteps(first, [0], [createMaps(2, 2, 2)]);
    client.scoreSteps(second, [0, 4], [createMaps(2, 2, 2), createMaps(2, 2, 2)]);
    const scored = FakeWorker.last.sent.filter((r) => r.type === 'score');
    expect(scored).toHaveLength(1);
    expect(scored[0]).toMatchObject({ walkId: second, ts: [0, 4] });
  });

  it('hands the worker computed affinities instead of an embedding when the GPU walks', () => {
    const affinities = { height: 2, width: 2, offsets: [{ dy: 0, dx: 1 }], weights: Float32Array.of(0.5, NaN, 0.25, NaN) };
    client.setInputs(createMaps(1, 2, 2), { affinities });
    expect(FakeWorker.last.sent.at(-1)).toMatchObject({ type: 'inputs', inputsId: 2, affinity: { affinities } });
  });

  it('drops affinities of replaced inputs', () => {
    const reply = (inputsId: number): WalkReply => ({ type: 'affinities', inputsId, height: 2, width: 2, offsets: [], weights: new Float32Array(0), boundary: new Float32Array(4) });
    FakeWorker.last.reply(reply(1));
    expect(client.affinityGraph()?.inputsId).toBe(1);
    client.setInputs(createMaps(1, 2, 2), { embedding: createMaps(3, 2, 2), radius: 5 });
    expect(client.affinityGraph()).toBeNull();
    FakeWorker.last.reply(reply(1));
    expect(client.affinityGraph()).toBeNull();
  });
});
