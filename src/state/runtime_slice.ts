import type { StateCreator } from 'zustand';
import { BackendInfo, BackendName, initBackend } from '../gpu/backend';
import type { LabState } from './store';

export interface RuntimeSlice {
  backend: BackendInfo | null;
  backendError: string | null;
  initRuntime: (preferred?: BackendName) => Promise<void>;
}

export const createRuntimeSlice: StateCreator<LabState, [], [], RuntimeSlice> = (set) => ({
  backend: null,
  backendError: null,
  initRuntime: async (preferred) => {
    try {
      set({ backend: await initBackend(preferred), backendError: null });
    } catch (e) {
      set({ backendError: e instanceof Error ? e.message : String(e) });
    }
  },
});
