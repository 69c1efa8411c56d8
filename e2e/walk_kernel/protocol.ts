/** What the walk-kernel page is asked to run and what it answers (page.ts). */

export interface KernelCheckSpec {
  height: number;
  width: number;
  channels: number;
  /** Embedding dimensions. */
  dims: number;
  radius: number;
  beta: number;
  steps: number;
  /** Which tap table the walk reads: built on the GPU (transition_webgpu.ts) or uploaded from the core's Transition. */
  table: 'gpu' | 'cpu';
}

export interface KernelCheck {
  /** Largest |GPU - core| over every channel and cell at the compared steps. */
  maxAbsDiff: number;
  compared: number[];
  /** Every step (the scores copied in first) and waiting for the GPU to finish them. */
  gpuMs: number;
  gpuStepMs: number;
  /** The core's walk in the same page, per step (includes copying out the compared steps). */
  cpuStepMs: number;
  /** Largest |GPU-built - core-built| tap-table weight, whichever table the walk read. */
  tableMaxAbsDiff: number;
  /** Largest |GPU - core| affinity W (transition_webgpu.ts affinities() against core/affinity.ts neighbourAffinities). */
  affinitiesMaxAbsDiff: number;
  /** Building the tap table on the GPU, submit to done. */
  transitionGpuMs: number;
  /** The core's buildTransition and tapTable on the same inputs, in the same page. */
  transitionCpuMs: number;
  adapter: { vendor: string; architecture: string; description: string };
}

declare global {
  interface Window {
    walkKernelCheck(spec: KernelCheckSpec): Promise<KernelCheck>;
  }
}
