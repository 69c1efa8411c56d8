import { CAM_NORM_EPS, DEFAULT_CAM_BG_SCORE } from './constants';
import { ChannelMaps, channelView, createMaps } from './maps';

/** M_c / (max_xy M_c + 1e-5) for every class channel (psa's per-class max normalisation). */
export function normalizeCams(cams: ChannelMaps): ChannelMaps {
  const out = createMaps(cams.channels, cams.height, cams.width);
  for (let c = 0; c < cams.channels; c++) {
    const src = channelView(cams, c);
    const dst = channelView(out, c);
    let max = -Infinity;
    for (let i = 0; i < src.length; i++) if (src[i] > max) max = src[i];
    const scale = 1 / (max + CAM_NORM_EPS);
    for (let i = 0; i < src.length; i++) dst[i] = src[i] * scale;
  }
  return out;
}

/**
 * Prepends the background channel (1 - max_c M_c)^alpha to normalised CAMs.
 * The base is clamped at 0 so that resampled maps slightly above 1 cannot
 * produce NaN for fractional alpha.
 */
export function withBackground(cams: ChannelMaps, alpha: number): ChannelMaps {
  const { channels, height, width } = cams;
  const n = height * width;
  const out = createMaps(channels + 1, height, width);
  out.data.set(cams.data, n);
  for (let i = 0; i < n; i++) {
    let max = 0;
    for (let c = 0; c < channels; c++) max = Math.max(max, cams.data[c * n + i]);
    out.data[i] = Math.pow(Math.max(0, 1 - max), alpha);
  }
  return out;
}

/**
 * Walked scores (channel 0 background, then the classes): each class channel
 * over its own peak, background as it is. The walk averages a small object's
 * peak away into the larger region around it; the CAMs entered the walk each
 * normalised to its peak, and are compared so again (docs/algorithm.md §4).
 * An all-zero channel stays zero.
 */
export function normalizeClassPeaks(walked: ChannelMaps): ChannelMaps {
  const out = createMaps(walked.channels, walked.height, walked.width);
  out.data.set(channelView(walked, 0));
  for (let c = 1; c < walked.channels; c++) {
    const src = channelView(walked, c);
    const dst = channelView(out, c);
    let max = 0;
    for (let i = 0; i < src.length; i++) if (src[i] > max) max = src[i];
    const scale = max > 0 ? 1 / max : 0;
    for (let i = 0; i < src.length; i++) dst[i] = src[i] * scale;
  }
  return out;
}

/** Prepends a constant background score (psa's CAM-only evaluation uses 0.2). */
export function withConstantBackground(cams: ChannelMaps, score = DEFAULT_CAM_BG_SCORE): ChannelMaps {
  const n = cams.height * cams.width;
  const out = createMaps(cams.channels + 1, cams.height, cams.width);
  out.data.fill(score, 0, n);
  out.data.set(cams.data, n);
  return out;
}

/**
 * k x k average pooling (stride k) from image resolution down to the grid.
 * Windows that run past the edge average only the pixels they cover.
 */
export function averagePool(maps: ChannelMaps, k: number): ChannelMaps {
  const { channels, height, width } = maps;
  const gh = Math.ceil(height / k);
  const gw = Math.ceil(width / k);
  const out = createMaps(channels, gh, gw);
  for (let c = 0; c < channels; c++) {
    const src = channelView(maps, c);
    const dst = channelView(out, c);
    for (let gy = 0; gy < gh; gy++) {
      const y1 = Math.min(height, (gy + 1) * k);
      for (let gx = 0; gx < gw; gx++) {
        const x1 = Math.min(width, (gx + 1) * k);
        let sum = 0;
        for (let y = gy * k; y < y1; y++) for (let x = gx * k; x < x1; x++) sum += src[y * width + x];
        dst[gy * gw + gx] = sum / ((y1 - gy * k) * (x1 - gx * k));
      }
    }
  }
  return out;
}

/**
 * Bilinear resize with half-pixel centres (torch's align_corners=False and
 * tf.image.resizeBilinear with halfPixelCenters), as psa upsamples its maps.
 */
export function resizeBilinear(maps: ChannelMaps, outHeight: number, outWidth: number): ChannelMaps {
  const { channels, height, width } = maps;
  const out = createMaps(channels, outHeight, outWidth);
  const sy = height / outHeight;
  const sx = width / outWidth;
  const y0s = new Int32Array(outHeight), y1s = new Int32Array(outHeight), fys = new Float64Array(outHeight);
  for (let y = 0; y < outHeight; y++) {
    const src = Math.max(0, (y + 0.5) * sy - 0.5);
    y0s[y] = Math.min(height - 1, Math.floor(src));
    y1s[y] = Math.min(height - 1, y0s[y] + 1);
    fys[y] = src - y0s[y];
  }
  const x0s = new Int32Array(outWidth), x1s = new Int32Array(outWidth), fxs = new Float64Array(outWidth);
  for (let x = 0; x < outWidth; x++) {
    const src = Math.max(0, (x + 0.5) * sx - 0.5);
    x0s[x] = Math.min(width - 1, Math.floor(src));
    x1s[x] = Math.min(width - 1, x0s[x] + 1);
    fxs[x] = src - x0s[x];
  }
  for (let c = 0; c < channels; c++) {
    const s = channelView(maps, c);
    const d = channelView(out, c);
    for (let y = 0; y < outHeight; y++) {
      const r0 = y0s[y] * width, r1 = y1s[y] * width, fy = fys[y];
      for (let x = 0; x < outWidth; x++) {
        const fx = fxs[x];
        const top = s[r0 + x0s[x]] * (1 - fx) + s[r0 + x1s[x]] * fx;
        const bottom = s[r1 + x0s[x]] * (1 - fx) + s[r1 + x1s[x]] * fx;
        d[y * outWidth + x] = top * (1 - fy) + bottom * fy;
      }
    }
  }
  return out;
}

/** Index of the largest channel per cell (first one wins ties, like argmax in NumPy). */
export function argmaxChannels(maps: ChannelMaps): Uint8Array {
  const n = maps.height * maps.width;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestValue = maps.data[i];
    for (let c = 1; c < maps.channels; c++) {
      const v = maps.data[c * n + i];
      if (v > bestValue) { bestValue = v; best = c; }
    }
    out[i] = best;
  }
  return out;
}
