/** Small raw-WebGPU helpers shared by the walk's kernels. */

/** One pipeline per device and shader: compiling WGSL is the slow part of a first run. */
const pipelines = new WeakMap<GPUDevice, Map<string, GPUComputePipeline>>();

export function computePipeline(device: GPUDevice, code: string): GPUComputePipeline {
  let byCode = pipelines.get(device);
  if (!byCode) {
    byCode = new Map();
    pipelines.set(device, byCode);
  }
  let pipeline = byCode.get(code);
  if (!pipeline) {
    pipeline = device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code }), entryPoint: 'main' } });
    byCode.set(code, pipeline);
  }
  return pipeline;
}

export function upload(device: GPUDevice, data: Float32Array | Int32Array | Uint32Array, usage: number): GPUBuffer {
  // Buffer sizes must be multiples of 4 and non-zero; 16 also suits a uniform.
  const buffer = device.createBuffer({ size: Math.max(data.byteLength, 16), usage, mappedAtCreation: true });
  new Uint8Array(buffer.getMappedRange(0, data.byteLength)).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  buffer.unmap();
  return buffer;
}
