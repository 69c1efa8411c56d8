import type { StateCreator } from 'zustand';
import type { BackendInfo } from '../gpu/backend';
import { parseBackendParam, type BackendName } from '../gpu/backend_choice';
import { pipelineClient } from '../workers/pipeline_client';
import type { LabState } from './store';

export interface RuntimeSlice {
  backend: BackendInfo | null;
  backendError: string | null;
  /** Why ?backend= was not followed (an unknown name), for people; null when it was or there was none. */
  backendNotice: string | null;
  /** What happened when the GPU device was lost and the app moved to another backend, for people. */
  backendLostNotice: string | null;
  /** Chooses and starts the tfjs backend; `requested` is the ?backend= value, if any. */
  initRuntime: (requested: string | null) => Promise<void>;
}

export const createRuntimeSlice: StateCreator<LabState, [], [], RuntimeSlice> = (set, get) => {
  const start = async (forced: BackendName | undefined, without: BackendName[]): Promise<boolean> => {
    try {
      set({ backend: await pipelineClient.initBackend(forced, without), backendError: null });
      return true;
    } catch (e) {
      set({ backendError: e instanceof Error ? e.message : String(e) });
      return false;
    }
  };

  /** The weights died with the device: start the next backend without WebGPU and load the model set again there. */
  const recover = async (message: string) => {
    set({ backendLostNotice: `The WebGPU device was lost (${message}). Restarting on another backend…` });
    if (!(await start(undefined, ['webgpu']))) return;
    set({ backendLostNotice: `The WebGPU device was lost (${message}). The app restarted on ${get().backend!.name} and loaded the model set again.` });
    const { modelId } = get();
    if (modelId) await get().selectModel(modelId);
  };
  pipelineClient.onDeviceLost((message) => void recover(message));

  return {
    backend: null,
    backendError: null,
    backendNotice: null,
    backendLostNotice: null,
    initRuntime: async (requested) => {
      const { forced, notice } = parseBackendParam(requested);
      set({ backendNotice: notice });
      await start(forced, []);
    },
  };
};
