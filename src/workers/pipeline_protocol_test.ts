import { describe, expect, it } from 'vitest';
import { transferable } from './pipeline_protocol';

describe('transferable', () => {
  it('lists each whole buffer once and leaves views into a larger buffer to be copied', () => {
    const whole = new Float32Array(4);
    const heap = new ArrayBuffer(64);
    const view = new Float32Array(heap, 16, 4);
    const sameBuffer = new Uint8Array(whole.buffer);
    expect(transferable([whole, view, sameBuffer])).toEqual([whole.buffer]);
    expect(transferable([new Float32Array(heap)])).toEqual([heap]);
  });
});
