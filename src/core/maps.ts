/**
 * A stack of 2D maps in channel-major (C, H, W) order, the layout of psa's
 * score maps and of NumPy .npy files written by the CLI.
 */
export interface ChannelMaps {
  readonly data: Float32Array;
  readonly channels: number;
  readonly height: number;
  readonly width: number;
}

export function createMaps(channels: number, height: number, width: number): ChannelMaps {
  return { data: new Float32Array(channels * height * width), channels, height, width };
}

export function mapsFrom(data: Float32Array, channels: number, height: number, width: number): ChannelMaps {
  if (data.length !== channels * height * width) {
    throw new Error(`maps of shape (${channels}, ${height}, ${width}) need ${channels * height * width} values, got ${data.length}`);
  }
  return { data, channels, height, width };
}

/** One channel as a view (no copy). */
export function channelView(maps: ChannelMaps, c: number): Float32Array {
  const n = maps.height * maps.width;
  return maps.data.subarray(c * n, (c + 1) * n);
}

/** The top-left width x height window of every channel (e.g. the image region of a padded input). */
export function cropTopLeft(maps: ChannelMaps, width: number, height: number): ChannelMaps {
  if (width > maps.width || height > maps.height) throw new Error(`region ${width}x${height} exceeds the maps ${maps.width}x${maps.height}`);
  const out = createMaps(maps.channels, height, width);
  for (let c = 0; c < maps.channels; c++) {
    for (let y = 0; y < height; y++) {
      const src = (c * maps.height + y) * maps.width;
      out.data.set(maps.data.subarray(src, src + width), (c * height + y) * width);
    }
  }
  return out;
}
