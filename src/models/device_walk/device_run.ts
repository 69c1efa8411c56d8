import * as tf from '@tensorflow/tfjs';
import type { DeviceRun, LabPipeline, PipelineStage, RgbaInput } from '../pipeline/types';
import { deviceWalkGeometry, keepWalkOnDevice } from './device_walk';
import { uploadMaps } from './walk_input';

/**
 * Runs `pipeline` with its walk's inputs kept on the WebGPU device. A
 * pipeline of networks keeps its own tensors there (runWalkOnDevice); one
 * that makes its outputs on the CPU (the synthetic stand-in) has its
 * embedding and CAMs uploaded once.
 */
export async function runWalkOnDevice(pipeline: LabPipeline, image: RgbaInput, onStage?: (stage: PipelineStage) => void): Promise<DeviceRun> {
  if (pipeline.runWalkOnDevice) return pipeline.runWalkOnDevice(image, onStage);
  const { embedding, ...result } = await pipeline.run(image, onStage);
  const inputs = tf.tidy(() => ({ embedding: tf.tensor3d(embedding.data, [embedding.channels, embedding.height, embedding.width]), cams: uploadMaps(result.cams) }));
  const { walk, affinities } = await keepWalkOnDevice(inputs, deviceWalkGeometry(pipeline.meta, result.placement));
  return { result: { ...result, affinities }, walk };
}
