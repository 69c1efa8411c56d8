import { create } from 'zustand';
import { createImageSlice, ImageSlice } from './image_slice';
import { createModelSlice, ModelSlice } from './model_slice';
import { createRuntimeSlice, RuntimeSlice } from './runtime_slice';
import { createViewSlice, ViewSlice } from './view_slice';
import { createWalkSlice, WalkSlice } from './walk_slice';

/**
 * The app's one store, built from slices (zustand's slices pattern). No
 * tensors or models live here: the networks sit in the pipeline worker
 * (workers/pipeline_worker.ts) and the walk's steps in workers/walk_client.ts
 * or on the pipeline worker's GPU (state/gpu_walk_steps.ts reads back the steps shown).
 */
export type LabState = RuntimeSlice & ImageSlice & ModelSlice & WalkSlice & ViewSlice;

export const useLabStore = create<LabState>()((...a) => ({
  ...createRuntimeSlice(...a),
  ...createImageSlice(...a),
  ...createModelSlice(...a),
  ...createWalkSlice(...a),
  ...createViewSlice(...a),
}));
