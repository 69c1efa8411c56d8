/**
 * Caches frozen-backbone features for head training in PyTorch, computed by
 * the same tfjs graph the app runs, so training and inference see identical
 * features.
 *
 *   npx tsx scripts/extract_features.ts DATA_DIR [--out DIR] [--backbone MODEL_JSON] [--input-size N] [--splits train,val] [--limit N] [--float32]
 *   npx tsx scripts/extract_features.ts --reference DIR --backbone MODEL_JSON
 *
 * Without --backbone, the taps come from the CenterNet graph in node_modules
 * (the default model set); with it, from one of our own "affinitylab-backbone"
 * files (e.g. data/runs/scratch/backbone/model.json, the scratch set).
 *
 * Reads DATA_DIR/<split>/images/<id>.jpg (square), resizes it to the network
 * input (--input-size, 512 unless told; only our own backbones take another)
 * as the app does, and writes, per image and tap,
 * OUT/<split>/<tap>/<id>.npy: float16 '<f2' (float32 '<f4' with --float32, for
 * training/write_set_reference.py, whose reference must not carry float16's
 * rounding), C order, shape (C, H, W).
 * OUT/features.json describes the taps. Outputs newer than their image are
 * skipped, and every file is written under a temporary name and then renamed,
 * so a killed run can simply be started again.
 *
 * With --reference, it only runs the backbone on DIR/input.png (a lossless
 * copy of the pixels PyTorch saw) and writes DIR/ts/<tap>.npy in float32, so
 * training/tools/backbone_parity.py compares the two implementations on identical input.
 */
import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  BACKBONE_INPUT_NODE,
  BACKBONE_INPUT_SIZE,
  BACKBONE_MODEL_FILE,
  BACKBONE_MODEL_PACKAGE,
  BACKBONE_TAPS,
  DETECTOR_TAP_SPECS,
  detectorTaps,
  isDetectorTap,
  LAYER_BACKBONE_FORMAT,
  loadBackbone,
  loadLayerBackbone,
  TAP_NAMES,
  type DetectorTapName,
  type FeatureBackbone,
  type TapName,
} from '../src/models/backbone';
import { packageFilePath } from '../src/io/node_package_path';
import { fileModelHandler } from '../src/models/node_io';
import { useNodeWasmBackend } from '../src/models/node_wasm';
import { serializeNpy } from '../src/core/npy';
import { decodeImage, IMAGE_DECODER, SAME_PIXELS_AS } from '../src/io/node_image_decode';
import { networkInput, rgbTensor } from '../src/models/pipeline/input';
import { placeImage } from '../src/models/pipeline/placement';
import { GRID_STRIDE } from '../src/core/constants';

const DEFAULT_OUT = 'data/features/default';
const PROGRESS_EVERY_MS = 10_000;

interface Options {
  /** Folder with input.png: extract its taps only (see the header). */
  reference?: string;
  dataDir: string;
  outDir: string;
  /** model.json of an affinitylab-backbone, or undefined for the CenterNet graph. */
  backbone?: string;
  /** Side of the square network input the images are resized to. */
  inputSize: number;
  splits: string[];
  limit: number;
  dtype: '<f2' | '<f4';
}

function parseOptions(): Options {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      out: { type: 'string', default: DEFAULT_OUT },
      backbone: { type: 'string' },
      'input-size': { type: 'string' },
      splits: { type: 'string', default: 'train,val' },
      limit: { type: 'string' },
      reference: { type: 'string' },
      float32: { type: 'boolean', default: false },
    },
  });
  if (values.reference !== undefined) {
    if (values.backbone === undefined || positionals.length !== 0) throw new Error('usage: extract_features.ts --reference DIR --backbone MODEL_JSON');
    return { reference: values.reference, dataDir: '', outDir: values.out, backbone: values.backbone, inputSize: 0, splits: [], limit: 0, dtype: '<f4' };
  }
  if (positionals.length !== 1) {
    throw new Error('usage: extract_features.ts DATA_DIR [--out DIR] [--backbone MODEL_JSON] [--input-size N] [--splits train,val] [--limit N (per split)] [--float32]');
  }
  const inputSize = values['input-size'] === undefined ? BACKBONE_INPUT_SIZE : Number(values['input-size']);
  if (!Number.isInteger(inputSize) || inputSize <= 0 || inputSize % 32 !== 0) throw new Error(`--input-size must be a positive multiple of 32, got ${values['input-size']}`);
  if (values.backbone === undefined && inputSize !== BACKBONE_INPUT_SIZE) throw new Error(`the CenterNet graph takes ${BACKBONE_INPUT_SIZE} px inputs only; --input-size needs --backbone`);
  const limit = values.limit === undefined ? Infinity : Number(values.limit);
  if (!(limit > 0)) throw new Error(`--limit must be a positive number, got ${values.limit}`);
  const dtype = values.float32 ? '<f4' : '<f2';
  return { dataDir: positionals[0], outDir: values.out, backbone: values.backbone, inputSize, splits: values.splits.split(',').filter(Boolean), limit, dtype };
}

/** Writes via a temporary name so that a file that exists is always complete. */
function writeAtomic(file: string, bytes: Uint8Array | string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, file);
}

/** sha256 of model.json and of each weight shard, keyed by file name. */
function modelHashes(modelJson: string): Record<string, string> {
  const manifest = (JSON.parse(readFileSync(modelJson, 'utf8')) as tf.io.ModelJSON).weightsManifest;
  const files = [modelJson, ...manifest.flatMap((group) => group.paths.map((p) => path.join(path.dirname(modelJson), p)))];
  return Object.fromEntries(files.map((file) => [path.basename(file), createHash('sha256').update(readFileSync(file)).digest('hex')]));
}

/** What is cached per image: the backbone's taps, and the detector's maps offered as taps when the backbone is a detector. */
type FeatureKey = TapName | DetectorTapName;

function featureKeys(backbone: FeatureBackbone): FeatureKey[] {
  return backbone.extractWithDetector ? [...TAP_NAMES, ...(Object.keys(DETECTOR_TAP_SPECS) as DetectorTapName[])] : TAP_NAMES;
}

function tapList(backbone: FeatureBackbone, inputSize: number, itemBytes: number, nodeOf: (key: TapName) => string): object[] {
  return featureKeys(backbone).map((key) => {
    const { channels, stride } = isDetectorTap(key) ? DETECTOR_TAP_SPECS[key] : backbone.tapShapes[key];
    const grid = inputSize / stride;
    const node = isDetectorTap(key) ? DETECTOR_TAP_SPECS[key].node : nodeOf(key);
    return { key, node, channels, stride, grid: [grid, grid], bytes: channels * grid * grid * itemBytes };
  });
}

function describeFeatures(backbone: FeatureBackbone, backboneJson: string | undefined, inputSize: number, dtype: Options['dtype']): object {
  const common = { dtype, layout: 'CHW', path: '<split>/<key>/<id>.npy' };
  const itemBytes = dtype === '<f4' ? 4 : 2;
  if (backboneJson !== undefined) {
    const model = JSON.parse(readFileSync(backboneJson, 'utf8')) as { modelTopology: { input: object; taps: Record<TapName, { layer: string }> } };
    const taps = tapList(backbone, inputSize, itemBytes, (key) => model.modelTopology.taps[key].layer);
    return {
      model: { format: LAYER_BACKBONE_FORMAT, file: backboneJson, sha256: modelHashes(backboneJson) },
      input: { ...model.modelTopology.input, size: [inputSize, inputSize], decoder: IMAGE_DECODER },
      ...common,
      taps,
      bytesPerImage: taps.reduce((sum, tap) => sum + (tap as { bytes: number }).bytes, 0),
    };
  }
  const modelJson = packageFilePath(BACKBONE_MODEL_PACKAGE, BACKBONE_MODEL_FILE);
  const version = (JSON.parse(readFileSync(packageFilePath(BACKBONE_MODEL_PACKAGE, 'package.json'), 'utf8')) as { version: string }).version;
  const taps = tapList(backbone, inputSize, itemBytes, (key) => BACKBONE_TAPS[key].node);
  return {
    // The hash pins the exact graph, so trained heads can check they match the app's model.
    model: { package: `${BACKBONE_MODEL_PACKAGE}@${version}`, file: BACKBONE_MODEL_FILE, sha256: modelHashes(modelJson) },
    input: { node: BACKBONE_INPUT_NODE, size: [BACKBONE_INPUT_SIZE, BACKBONE_INPUT_SIZE], channels: 'RGB', range: [0, 255], decoder: IMAGE_DECODER },
    ...common,
    taps,
    bytesPerImage: taps.reduce((sum, tap) => sum + (tap as { bytes: number }).bytes, 0),
  };
}

/** RGB float 0..255 of a JPEG or PNG, decoded as the browser does. */
async function decodeRgb(file: string): Promise<tf.Tensor3D> {
  return rgbTensor(await decodeImage(readFileSync(file)));
}

/** A square image decoded and resized to the network input as the app does it. */
async function decodeNetworkInput(file: string, inputSize: number): Promise<tf.Tensor3D> {
  const image = await decodeImage(readFileSync(file));
  if (image.width !== image.height) throw new Error(`${file}: ${image.width}x${image.height}; the data set's images must be square`);
  return networkInput(image, placeImage(image.width, image.height, inputSize, GRID_STRIDE), inputSize);
}

/** The cached maps, as (C, H, W) tensors in featureKeys order; disposes `image`. */
function extractChw(backbone: FeatureBackbone, image: tf.Tensor3D): tf.Tensor[] {
  // tfjs maps are [1, H, W, C]; PyTorch wants (C, H, W).
  const maps = tf.tidy(() => {
    const nhwc: Record<string, tf.Tensor4D> = backbone.extractWithDetector
      ? (({ taps, detector }) => ({ ...taps, ...detectorTaps(detector) }))(backbone.extractWithDetector(image))
      : backbone.extract(image);
    return featureKeys(backbone).map((key) => tf.transpose(nhwc[key].squeeze([0]), [2, 0, 1]));
  });
  image.dispose();
  return maps;
}

async function writeMaps(maps: tf.Tensor[], keys: readonly FeatureKey[], fileOf: (key: FeatureKey) => string, dtype: '<f2' | '<f4'): Promise<void> {
  try {
    for (let t = 0; t < keys.length; t++) {
      const data = (await maps[t].data()) as Float32Array;
      writeAtomic(fileOf(keys[t]), serializeNpy(data, maps[t].shape, dtype));
    }
  } finally {
    tf.dispose(maps);
  }
}

/** --reference: the taps of DIR/input.png, lossless pixels, in float32. */
async function extractReference(backbone: FeatureBackbone, dir: string): Promise<void> {
  mkdirSync(path.join(dir, 'ts'), { recursive: true });
  await writeMaps(extractChw(backbone, await decodeRgb(path.join(dir, 'input.png'))), featureKeys(backbone), (key) => path.join(dir, 'ts', `${key}.npy`), '<f4');
  console.log(`reference: wrote the taps of ${path.join(dir, 'input.png')} to ${path.join(dir, 'ts')}`);
}

/** Features cached from another decoder's pixels would silently mix with new ones. */
function refuseOtherDecoder(outDir: string): void {
  const file = path.join(outDir, 'features.json');
  if (!existsSync(file)) return;
  const decoder = (JSON.parse(readFileSync(file, 'utf8')) as { input?: { decoder?: string } }).input?.decoder;
  if (decoder !== IMAGE_DECODER && !SAME_PIXELS_AS.includes(decoder ?? '')) {
    throw new Error(`${outDir} holds features of images decoded by ${decoder ?? 'an unrecorded decoder'}, not ${IMAGE_DECODER}; delete it and run again`);
  }
}

function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  const total = Math.round(s);
  const m = Math.floor(total / 60);
  return m > 0 ? `${m}m${String(total % 60).padStart(2, '0')}s` : `${total}s`;
}

async function main(): Promise<void> {
  const options = parseOptions();
  await useNodeWasmBackend();
  const backbone: FeatureBackbone =
    options.backbone === undefined
      ? await loadBackbone({ modelUrl: fileModelHandler(packageFilePath(BACKBONE_MODEL_PACKAGE, BACKBONE_MODEL_FILE)) })
      : await loadLayerBackbone({ modelUrl: fileModelHandler(options.backbone), name: options.backbone });
  if (options.reference !== undefined) {
    await extractReference(backbone, options.reference);
    backbone.dispose();
    return;
  }
  refuseOtherDecoder(options.outDir);
  mkdirSync(options.outDir, { recursive: true });
  writeAtomic(path.join(options.outDir, 'features.json'), `${JSON.stringify(describeFeatures(backbone, options.backbone, options.inputSize, options.dtype), null, 2)}\n`);

  for (const split of options.splits) {
    const imageDir = path.join(options.dataDir, split, 'images');
    const ids = readdirSync(imageDir)
      .filter((name) => name.endsWith('.jpg'))
      .map((name) => name.slice(0, -'.jpg'.length))
      .sort()
      .slice(0, options.limit);
    const keys = featureKeys(backbone);
    const outFile = (key: FeatureKey, id: string) => path.join(options.outDir, split, key, `${id}.npy`);
    for (const key of keys) mkdirSync(path.join(options.outDir, split, key), { recursive: true });

    // Redo an image whose features are missing or older than it (the data set was rebuilt).
    const isDone = (id: string) => {
      const imageTime = statSync(path.join(imageDir, `${id}.jpg`)).mtimeMs;
      return keys.every((key) => existsSync(outFile(key, id)) && statSync(outFile(key, id)).mtimeMs >= imageTime);
    };
    const todo = ids.filter((id) => !isDone(id));
    console.log(`${split}: ${ids.length} images, ${ids.length - todo.length} already done, ${todo.length} to extract`);
    const start = performance.now();
    let lastReport = start;
    for (let i = 0; i < todo.length; i++) {
      const id = todo[i];
      await writeMaps(extractChw(backbone, await decodeNetworkInput(path.join(imageDir, `${id}.jpg`), options.inputSize)), keys, (key) => outFile(key, id), options.dtype);

      const now = performance.now();
      if (now - lastReport >= PROGRESS_EVERY_MS || i === todo.length - 1) {
        lastReport = now;
        const rate = (i + 1) / ((now - start) / 1000);
        const eta = (todo.length - i - 1) / rate;
        console.log(`${split}: ${i + 1}/${todo.length}  ${rate.toFixed(2)} img/s  ETA ${formatSeconds(eta)}  tensors ${tf.memory().numTensors}`);
      }
    }
  }
  backbone.dispose();
}

// Report errors here: the wasm backend's own unhandled-rejection hook would
// otherwise print its whole minified source along with them.
main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exitCode = 1;
});
