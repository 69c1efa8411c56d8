import { readFile, writeFile } from 'node:fs/promises';
import { ChannelMaps, mapsFrom } from '../src/core/maps';
import { NpyError, parseNpy, serializeNpy } from '../src/core/npy';
import { UsageError } from './usage_error';

/** Reads a float32 (C, H, W) .npy file as maps; every problem becomes a UsageError naming the file. */
export async function readMapsNpy(path: string, what: string): Promise<ChannelMaps> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new UsageError(`cannot read ${what} file ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  let arr;
  try {
    arr = parseNpy(bytes);
  } catch (e) {
    if (e instanceof NpyError) throw new UsageError(`${what} file ${path}: ${e.message}`);
    throw e;
  }
  if (arr.dtype !== '<f4') throw new UsageError(`${what} file ${path} has dtype ${arr.dtype}; expected float32 (<f4)`);
  if (arr.shape.length !== 3) {
    throw new UsageError(`${what} file ${path} has shape (${arr.shape.join(', ')}); expected 3 dimensions (C, H, W)`);
  }
  const [c, h, w] = arr.shape;
  if (c === 0 || h === 0 || w === 0) throw new UsageError(`${what} file ${path} is empty: shape (${arr.shape.join(', ')})`);
  return mapsFrom(arr.data as Float32Array, c, h, w);
}

export async function writeMapsNpy(path: string, maps: ChannelMaps): Promise<void> {
  try {
    await writeFile(path, serializeNpy(maps.data, [maps.channels, maps.height, maps.width], '<f4'));
  } catch (e) {
    throw new UsageError(`cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}
