import type { StateCreator } from 'zustand';
import { BackendInfo, initBackend } from '../gpu/backend';
import { parseBackendParam } from '../gpu/backend_choice';
import type { LabState } from './store';

export interface RuntimeSlice {
  backend: BackendInfo | null;
  backendError: string | null;
  /** Why ?backend= was not followed (an unknown name), for people; null when it was or there was none. */
  backendNotice: string | null;
  /** Chooses and starts the tfjs backend; `requested` is the ?backend= value, if any. */
  initRuntime: (requested: string | null) => Promise<void>;
}

export const createRuntimeSlice: StateCreator<LabState, [], [], RuntimeSlice> = (set) => ({
  backend: null,
  backendError: null,
  backendNotice: null,
  initRuntime: async (requested) => {
    const { forced, notice } = parseBackendParam(requested);
    set({ backendNotice: notice });
    try {
      set({ backend: await initBackend(forced), backendError: null });
    } catch (e) {
      set({ backendError: e instanceof Error ? e.message : String(e) });
    }
  },
});
