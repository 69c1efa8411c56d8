export { Head, loadHead } from './head';
export type { TapTensors, ValidGrid } from './head';
export { HEAD_FORMAT, HEAD_KINDS } from './constants';
export { expectedWeightShapes, parseHeadModelJson } from './topology';
export type { Activation, ConvLayer, HeadKind, HeadModelConfig, HeadTopology } from './types';
