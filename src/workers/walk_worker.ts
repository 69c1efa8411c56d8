/// <reference lib="webworker" />
import { NeighbourAffinities, neighbourAffinities } from '../core/affinity';
import type { ChannelMaps } from '../core/maps';
import { maskMiou, walkInput, walkMask } from '../core/masks';
import { Transition, buildTransition, transitionRow } from '../core/random_walk';
import { cpuWalk } from '../wasm/random_walk_wasm';
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
  cams: WalkRequestOf<'inputs'>['cams'];
  affinities: NeighbourAffinities;
}

let inputs: Inputs | null = null;
let latestWalk = 0;
/** The latest walk's transition: built for a walk here, and for a GPU walk only once a transition row asks for it. */
let transition: { walkId: number; value: Transition } | null = null;
/** The latest walk's parameters, for scoring steps the GPU computed. */
let walkRequest: WalkRequestOf<'walk'> | null = null;

type WalkRequestOf<T extends WalkRequest['type']> = Extract<WalkRequest, { type: T }>;

function post(reply: WalkReply, transfer: Transferable[] = []): void {
  self.postMessage(reply, transfer);
}

const yieldToEvents = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function setInputs(request: WalkRequestOf<'inputs'>): void {
  const { affinity } = request;
  const affinities = 'affinities' in affinity ? affinity.affinities : neighbourAffinities(affinity.embedding, affinity.radius);
  inputs = { id: request.inputsId, cams: request.cams, affinities };
  const weights = affinities.weights.slice();
  const boundary = affinityBoundary(affinities);
  post(
    { type: 'affinities', inputsId: request.inputsId, height: affinities.height, width: affinities.width, offsets: affinities.offsets, weights, boundary },
    [weights.buffer, boundary.buffer],
  );
}

async function walk(request: WalkRequestOf<'walk'>): Promise<void> {
  const { walkId } = request;
  latestWalk = walkId;
  // A slider drag sends many walks: let queued newer ones arrive before doing any work.
  await yieldToEvents();
  if (latestWalk !== walkId) return;
  if (!inputs || inputs.id !== request.inputsId) throw new Error(`walk ${walkId} asked for inputs ${request.inputsId}, which this worker does not hold`);
  walkRequest = request;
  // The pipeline worker walks on its GPU: this one scores the steps it is sent and answers transition rows.
  if (request.on === 'gpu') return;
  const started = performance.now();
  const scores = walkInput(inputs.cams, request.keep, request, request.alpha);
  const value = buildTransition(inputs.affinities, request.beta);
  transition = { walkId, value };
  // The WebAssembly SIMD kernel where the engine has it (several times the core's speed), else the core.
  const rw = cpuWalk(value, scores);
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
  const ts = evaluationSteps(request.steps);
  if (!(await scoreSteps(request, ts, ts.map((t) => history[t])))) return;
  post({ type: 'done', walkId, millis: performance.now() - started });
}

/** mIoU of the revised mask at each of `ts` (when the walk has ground truth); false if a newer walk took over meanwhile. */
async function scoreSteps(request: WalkRequestOf<'walk'>, ts: number[], maps: ChannelMaps[]): Promise<boolean> {
  const { walkId, evaluation } = request;
  if (!evaluation) return true;
  const geometry = { stride: request.stride, region: request.region, vocOfChannel: evaluation.vocOfChannel };
  const values: number[] = [];
  let sliceStart = performance.now();
  for (const m of maps) {
    values.push(maskMiou(walkMask(m, request.keep, geometry), evaluation.groundTruth));
    if (performance.now() - sliceStart > SLICE_MS) {
      await yieldToEvents();
      if (latestWalk !== walkId) return false;
      sliceStart = performance.now();
    }
  }
  post({ type: 'miou', walkId, ts, values });
  return true;
}

async function score(request: WalkRequestOf<'score'>): Promise<void> {
  // A stale request (a newer walk started since) is dropped; so is one whose walk this worker never set up.
  if (walkRequest?.walkId !== request.walkId || latestWalk !== request.walkId) return;
  await scoreSteps(walkRequest, request.ts, request.maps);
}

/** The transition of walk `walkId` if it is the latest one, built now if that walk ran on the GPU. */
function transitionOf(walkId: number): Transition | null {
  if (transition?.walkId === walkId) return transition.value;
  if (!inputs || walkRequest?.walkId !== walkId || walkRequest.inputsId !== inputs.id) return null;
  transition = { walkId, value: buildTransition(inputs.affinities, walkRequest.beta) };
  return transition.value;
}

function row(request: WalkRequestOf<'row'>): void {
  // An empty row answers a request for a walk that a newer one replaced (the page waits for every answer).
  const current = transitionOf(request.walkId);
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
    else if (request.type === 'score') score(request).catch(fail);
    else row(request);
  } catch (e) {
    fail(e);
  }
};
