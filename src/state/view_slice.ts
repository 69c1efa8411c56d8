import type { StateCreator } from 'zustand';
import type { LabState } from './store';

export type LabView = 'cam' | 'affinity' | 'compare';
export type CompareMode = 'side' | 'swipe';

/** What is on screen; nothing here triggers computation. */
export interface ViewSlice {
  view: LabView;
  /** meta.classes index of the CAM shown, 'background', or null for the best kept class. */
  camChannel: number | 'background' | null;
  /** Heatmap and mask opacity over the image. */
  overlayOpacity: number;
  /** Grid cell whose affinities are shown (row-major on the full grid), or null. */
  probeCell: number | null;
  /** Keeps the probe where it was clicked instead of following the pointer. */
  probePinned: boolean;
  /** Whole-image layer of the affinity view. */
  affinityLayer: 'boundary' | 'graph';
  compareMode: CompareMode;
  /** Swipe position, 0 (all revised) … 1 (all CAM). */
  swipe: number;
  setView: (view: LabView) => void;
  setCamChannel: (channel: number | 'background' | null) => void;
  setOverlayOpacity: (opacity: number) => void;
  setProbe: (cell: number | null, pinned: boolean) => void;
  setAffinityLayer: (layer: 'boundary' | 'graph') => void;
  setCompareMode: (mode: CompareMode) => void;
  setSwipe: (swipe: number) => void;
}

export const createViewSlice: StateCreator<LabState, [], [], ViewSlice> = (set) => ({
  view: 'cam',
  camChannel: null,
  overlayOpacity: 0.6,
  probeCell: null,
  probePinned: false,
  affinityLayer: 'boundary',
  compareMode: 'side',
  swipe: 0.5,
  setView: (view) => set({ view }),
  setCamChannel: (camChannel) => set({ camChannel }),
  setOverlayOpacity: (overlayOpacity) => set({ overlayOpacity }),
  setProbe: (probeCell, probePinned) => set({ probeCell, probePinned }),
  setAffinityLayer: (affinityLayer) => set({ affinityLayer }),
  setCompareMode: (compareMode) => set({ compareMode }),
  setSwipe: (swipe) => set({ swipe }),
});
