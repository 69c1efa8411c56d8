import { create } from 'zustand';
import { createRuntimeSlice, RuntimeSlice } from './runtime_slice';

/** The app's one store, built from slices (zustand's slices pattern). No tensors live here. */
export type LabState = RuntimeSlice;

export const useLabStore = create<LabState>()((...a) => ({
  ...createRuntimeSlice(...a),
}));
