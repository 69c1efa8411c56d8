/// <reference lib="webworker" />
import { NeighbourAffinities, neighbourAffinities } from '../core/affinity';
import { maskMiou, walkInput, walkMask } from '../core/masks';
import { RandomWalk, Transition, buildTransition, transitionRow } from '../core/random_walk';
import { affinityBoundary, evaluationSteps } from './walk_job';
import type { WalkReply, WalkRequest } from './walk_protocol';

/**
 * Runs the random walk off the UI thread. The walk yields to the event loop
 * every few milliseconds so that a newer request (a beta or alpha change, a
 * hovered cell) is seen promptly; an older walk stops at its next yield.
 */

declare const self: DedicatedWorkerGlobalScope;

/** Time slice between yields; also how often steps are posted. */
const SLICE_MS = 30;

interface Inputs {
  id: number;
  cams: Extract<WalkRequest, { type: 'inputs' }>['cams'];
  affinities: NeighbourAffinities;
}

let inputs: Inputs | null = null;
let latestWalk = 0;
let transition: { walkId: number; value: Transition } | null = null;

function post(reply: WalkReply, transfer: Transferable[] = []): void {
  self.postMessage(reply, transfer);
}

const yieldToEvents = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function setInputs(request: Extract<WalkRequest, { type: 'inputs' }>): void {
  const affinities = neighbourAffinities(request.embedding, request.radius);
  inputs = { id: request.inputsId, cams: request.cams, affinities };
  const weights = affinities.weights.slice();
  const boundary = affinityBoundary(affinities);
  post(
    { type: 'affinities', inputsId: request.inputsId, height: affinities.height, width: affinities.width, offsets: affinities.offsets, weights, boundary },
    [weights.buffer, boundary.buffer],
  );
}

async function walk(request: Extract<WalkRequest, { type: 'walk' }>): Promise<void> {
  const { walkId } = request;
  latestWalk = walkId;
  // A slider drag sends many walks: let queued newer ones arrive before doing any work.
  await yieldToEvents();
  if (latestWalk !== walkId) return;
  if (!inputs || inputs.id !== request.inputsId) throw new Error(`walk ${walkId} asked for inputs ${request.inputsId}, which this worker does not hold`);
  const started = performance.now();
  const scores = walkInput(inputs.cams, request.keep, request, request.alpha);
  const value = buildTransition(inputs.affinities, request.beta);
  transition = { walkId, value };
  const rw = new RandomWalk(value, scores);
  const history = [scores];
  let batch = [scores.data.slice()];
  let batchFrom = 0;
  let sliceStart = performance.now();
  const flush = () => {
    post({ type: 'steps', walkId, from: batchFrom, maps: batch }, batch.map((m) => m.buffer));
    batchFrom = rw.step + 1;
    batch = [];
  };
  while (rw.step < request.steps) {
    rw.advance();
    const current = rw.current();
    history.push(current);
    batch.push(current.data.slice());
    if (performance.now() - sliceStart > SLICE_MS) {
      flush();
      await yieldToEvents();
      if (latestWalk !== walkId) return;
      sliceStart = performance.now();
    }
  }
  if (batch.length > 0) flush();
  const { evaluation } = request;
  if (evaluation) {
    const geometry = { stride: request.stride, region: request.region, vocOfChannel: evaluation.vocOfChannel };
    const ts = evaluationSteps(request.steps);
    const values: number[] = [];
    for (const t of ts) {
      values.push(maskMiou(walkMask(history[t], request.keep, geometry), evaluation.groundTruth));
      if (performance.now() - sliceStart > SLICE_MS) {
        await yieldToEvents();
        if (latestWalk !== walkId) return;
        sliceStart = performance.now();
      }
    }
    post({ type: 'miou', walkId, ts, values });
  }
  post({ type: 'done', walkId, millis: performance.now() - started });
}

function row(request: Extract<WalkRequest, { type: 'row' }>): void {
  // An empty row answers a request for a walk that a newer one replaced (the page waits for every answer).
  const current = transition?.walkId === request.walkId ? transition.value : null;
  const row = current ? Float32Array.from(transitionRow(current, request.cell, request.t)) : new Float32Array(0);
  post({ type: 'row', walkId: request.walkId, cell: request.cell, t: request.t, row }, [row.buffer]);
}

self.onmessage = (event: MessageEvent<WalkRequest>) => {
  const request = event.data;
  const walkId = request.type === 'inputs' ? null : request.walkId;
  const fail = (e: unknown) => post({ type: 'error', walkId, message: e instanceof Error ? e.message : String(e) });
  try {
    if (request.type === 'inputs') setInputs(request);
    else if (request.type === 'walk') walk(request).catch(fail);
    else row(request);
  } catch (e) {
    fail(e);
  }
};
