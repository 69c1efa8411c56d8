import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMaps } from '../core/maps';
import { SYNTHETIC_META } from '../models/synthetic_pipeline';
import type { LoadProgress, PipelineStage } from '../models/pipeline/types';
import type { PipelineReply, PipelineRequest } from './pipeline_protocol';
import { PipelineClient } from './pipeline_client';

/** Stands in for the module worker: records requests and their transfer lists, lets the test reply. */
class FakeWorker {
  static last: FakeWorker;
  readonly sent: { request: PipelineRequest; transfer: Transferable[] }[] = [];
  terminated = false;
  onmessage: ((e: MessageEvent<PipelineReply>) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  constructor() {
    FakeWorker.last = this;
  }
  postMessage(request: PipelineRequest, transfer: Transferable[]): void {
    this.sent.push({ request, transfer });
  }
  terminate(): void {
    this.terminated = true;
  }
  reply(reply: PipelineReply): void {
    this.onmessage?.({ data: reply } as MessageEvent<PipelineReply>);
  }
  callId(call: PipelineRequest['call'], nth = 0): number {
    return this.sent.filter((s) => s.request.call === call)[nth].request.callId;
  }
}

const META_B = { ...SYNTHETIC_META, id: 'b', name: 'set b' };

describe('PipelineClient', () => {
  let client: PipelineClient;
  beforeEach(() => {
    vi.stubGlobal('Worker', FakeWorker);
    client = new PipelineClient();
  });
  afterEach(() => vi.unstubAllGlobals());

  it('passes load progress to its caller and knows the set only once the load is done', async () => {
    const progress: LoadProgress[] = [];
    const loaded = client.activate('b', (p) => progress.push(p));
    const callId = FakeWorker.last.callId('load');
    FakeWorker.last.reply({ type: 'event', callId, event: { loaded: 10, total: 20 } });
    expect(progress).toEqual([{ loaded: 10, total: 20 }]);
    expect(client.activeMeta('b')).toBeNull();
    FakeWorker.last.reply({ type: 'done', callId, value: META_B });
    expect(await loaded).toEqual(META_B);
    expect(client.activeMeta('b')).toEqual(META_B);
    expect(client.activeMeta('a')).toBeNull();
  });

  it('keeps the previous set when a load fails or a newer load replaced it', async () => {
    const first = client.activate('b', () => undefined);
    FakeWorker.last.reply({ type: 'done', callId: FakeWorker.last.callId('load', 0), value: META_B });
    await first;
    const failing = client.activate('c', () => undefined);
    const replaced = client.activate('d', () => undefined);
    FakeWorker.last.reply({ type: 'failed', callId: FakeWorker.last.callId('load', 1), message: '/models/c/cam/weights.bin: HTTP 404' });
    FakeWorker.last.reply({ type: 'done', callId: FakeWorker.last.callId('load', 2), value: null });
    await expect(failing).rejects.toThrow('/models/c/cam/weights.bin: HTTP 404');
    expect(await replaced).toBeNull();
    expect(client.activeMeta('b')).toEqual(META_B);
  });

  it('moves the pixel buffer to the worker and reports stages of that run only', async () => {
    const data = new Uint8ClampedArray(2 * 3 * 4);
    const stages: PipelineStage[] = [];
    const run = client.run('b', { width: 2, height: 3, data }, (s) => stages.push(s));
    const other = client.run('b', { width: 1, height: 1, data: new Uint8ClampedArray(4) }, () => undefined);
    const [sent] = FakeWorker.last.sent;
    expect(sent.transfer).toEqual([data.buffer]);
    FakeWorker.last.reply({ type: 'event', callId: FakeWorker.last.callId('run', 1), event: 'cam' });
    FakeWorker.last.reply({ type: 'event', callId: sent.request.callId, event: 'backbone' });
    FakeWorker.last.reply({ type: 'failed', callId: sent.request.callId, message: 'out of memory' });
    await expect(run).rejects.toThrow('out of memory');
    expect(stages).toEqual(['backbone']);
    FakeWorker.last.reply({ type: 'failed', callId: FakeWorker.last.callId('run', 1), message: 'done with' });
    await expect(other).rejects.toThrow('done with');
  });

  it('asks the worker for a walk on its device and for steps of it, and hands the steps over', async () => {
    const started = client.walkStart(4, 9, { keep: [2], alpha: 16, beta: 8, steps: 256, order: 'psa' });
    expect(FakeWorker.last.sent[0].request).toMatchObject({ call: 'walkStart', args: { inputsId: 4, walkId: 9, keep: [2], alpha: 16, beta: 8, steps: 256, order: 'psa' } });
    FakeWorker.last.reply({ type: 'done', callId: FakeWorker.last.callId('walkStart'), value: 12.5 });
    expect(await started).toBe(12.5);
    const read = client.walkRead(9, [0, 256]);
    expect(FakeWorker.last.sent[1].request).toMatchObject({ call: 'walkRead', args: { walkId: 9, ts: [0, 256] } });
    const maps = [createMaps(2, 1, 1), createMaps(2, 1, 1)];
    FakeWorker.last.reply({ type: 'done', callId: FakeWorker.last.callId('walkRead'), value: maps });
    expect(await read).toBe(maps);
  });

  it('tells listeners of a lost device and forgets the set that died with it', async () => {
    const loaded = client.activate('b', () => undefined);
    FakeWorker.last.reply({ type: 'done', callId: FakeWorker.last.callId('load'), value: META_B });
    await loaded;
    const lost: string[] = [];
    client.onDeviceLost((m) => lost.push(m));
    FakeWorker.last.reply({ type: 'device-lost', message: 'Device was destroyed' });
    expect(lost).toEqual(['Device was destroyed']);
    expect(client.activeMeta('b')).toBeNull();
  });

  it('fails every waiting call when the worker breaks, and starts a new worker for the next one', async () => {
    const backend = client.initBackend('wasm', []);
    const broken = FakeWorker.last;
    broken.onerror?.({ message: 'SyntaxError: Unexpected token' } as ErrorEvent);
    await expect(backend).rejects.toThrow('the pipeline worker failed: SyntaxError: Unexpected token');
    expect(broken.terminated).toBe(true);
    void client.tensorMemory();
    expect(FakeWorker.last).not.toBe(broken);
    expect(FakeWorker.last.sent.map((s) => s.request.call)).toEqual(['memory']);
  });
});
