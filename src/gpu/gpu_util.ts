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

/** The float contents of each buffer, copied into one staging buffer and read back in one map. */
export async function readBack(device: GPUDevice, buffers: readonly GPUBuffer[]): Promise<Float32Array[]> {
  const offsets: number[] = [];
  let size = 0;
  for (const buffer of buffers) {
    offsets.push(size);
    size += buffer.size;
  }
  const staging = device.createBuffer({ size: Math.max(size, 16), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  try {
    const encoder = device.createCommandEncoder({ label: 'read-back' });
    buffers.forEach((buffer, k) => encoder.copyBufferToBuffer(buffer, 0, staging, offsets[k], buffer.size));
    device.queue.submit([encoder.finish()]);
    await staging.mapAsync(GPUMapMode.READ);
    const all = staging.getMappedRange();
    // Each its own copy: the mapped range is gone once the staging buffer is.
    return buffers.map((buffer, k) => new Float32Array(all.slice(offsets[k], offsets[k] + buffer.size)));
  } finally {
    staging.destroy();
  }
}
