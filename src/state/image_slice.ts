import type { StateCreator } from 'zustand';
import type { LabelImage } from '../io/label_png';
import { decodeImageFile, fetchBlob, fetchGroundTruth, ImageInputError } from '../io/browser_image';
import type { LabState } from './store';

/** A bundled sample image (the list is in ui/samples.ts, the files in public/samples/). */
export interface Sample {
  /** Used in data-testid="sample-<id>". */
  id: string;
  name: string;
  image: string;
  /** VOC-indexed PNG, or null for photos without ground truth. */
  mask: string | null;
  credit: string;
}

export interface LabImage {
  /** Increments with every image, so late results for an older one can be recognised. */
  id: number;
  name: string;
  /** Orientation applied; shown as is (sharp), downscaled only for the networks. */
  bitmap: ImageBitmap;
  /** What was wrong with a damaged file the browser still showed part of. */
  warning: string | null;
  /** Ground-truth classes at the bitmap's size, for samples that have them. */
  groundTruth: LabelImage | null;
  sampleId: string | null;
}

export interface ImageSlice {
  image: LabImage | null;
  imageBusy: boolean;
  imageError: string | null;
  openImageFile: (file: Blob, name: string) => Promise<void>;
  openSample: (sample: Sample) => Promise<void>;
  dismissImageError: () => void;
}

let nextImageId = 0;

export const createImageSlice: StateCreator<LabState, [], [], ImageSlice> = (set, get) => {
  /** Runs one image load; a newer load (or a failure) leaves the current image in place. */
  const load = async (name: string, work: () => Promise<Omit<LabImage, 'id' | 'name'>>) => {
    const id = ++nextImageId;
    set({ imageBusy: true, imageError: null });
    try {
      const loaded = await work();
      if (id !== nextImageId) {
        loaded.bitmap.close();
        return;
      }
      get().image?.bitmap.close();
      set({ image: { id, name, ...loaded }, imageBusy: false });
      void get().analyze();
    } catch (e) {
      if (id !== nextImageId) return;
      const message = e instanceof ImageInputError ? e.message : `Could not open "${name}": ${e instanceof Error ? e.message : String(e)}`;
      set({ imageBusy: false, imageError: message });
    }
  };

  return {
    image: null,
    imageBusy: false,
    imageError: null,
    openImageFile: (file, name) => load(name, async () => ({ ...(await decodeImageFile(file, name)), groundTruth: null, sampleId: null })),
    openSample: (sample) =>
      load(sample.name, async () => {
        const [blob, groundTruth] = await Promise.all([fetchBlob(sample.image), sample.mask ? fetchGroundTruth(sample.mask) : null]);
        const { bitmap, warning } = await decodeImageFile(blob, sample.name);
        if (groundTruth && (groundTruth.width !== bitmap.width || groundTruth.height !== bitmap.height)) {
          bitmap.close();
          throw new Error(`its mask is ${groundTruth.width}×${groundTruth.height} but the image is ${bitmap.width}×${bitmap.height}`);
        }
        return { bitmap, warning, groundTruth, sampleId: sample.id };
      }),
    dismissImageError: () => set({ imageError: null }),
  };
};
