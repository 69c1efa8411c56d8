import type { Head, HeadKind } from '../heads';
import type { ModelSetMeta } from '../pipeline/types';

/**
 * meta.json's class lists must match the heads' output channels: otherwise
 * the masks would silently put one class's map under another's name.
 * Throws an Error naming the head's file and meta.json.
 */
export function checkHeadChannels(meta: ModelSetMeta, heads: Readonly<Record<HeadKind, Head>>, fileOf: (kind: HeadKind) => string, metaFile: string): void {
  const outputs = (head: Head) => head.topology.layers[head.topology.layers.length - 1].filters;
  const cam = outputs(heads.cam);
  if (cam !== meta.headClasses.cam.length) {
    throw new Error(`${fileOf('cam')}: the CAM head outputs ${cam} channels, but ${metaFile} gives it ${meta.headClasses.cam.length} classes (headClasses.cam, else classes)`);
  }
  // A CAM-guided head gives one logit map per class it is run for; a plain one, background plus its classes.
  const guided = heads.seg.topology.classMap !== undefined;
  const seg = outputs(heads.seg);
  const expected = guided ? 1 : meta.headClasses.seg.length + 1;
  if (seg !== expected) {
    const what = guided ? '1 (one logit map per class, CAM-guided)' : `${expected}: background and the ${meta.headClasses.seg.length} classes ${metaFile} gives it (headClasses.seg, else classes)`;
    throw new Error(`${fileOf('seg')}: the segmentation head outputs ${seg} channels; expected ${what}`);
  }
}
