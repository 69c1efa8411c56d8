/**
 * Scoring a mask against hand-drawn boxes, for photographs that have no
 * pixel ground truth. An object counts as found when the mask gives its
 * class mostly inside that class's boxes and covers a fair part of its own
 * box: at least MIN_INSIDE of the pixels labelled with the class lie inside
 * one of the class's boxes, and at least MIN_COVERED of the object's box is
 * labelled with the class.
 */

/** [x0, y0, x1, y1] in pixels, x1 and y1 exclusive. */
export type Box = readonly [number, number, number, number];

export interface BoxedObject {
  /** Class id (VOC index). */
  classId: number;
  box: Box;
}

export const MIN_INSIDE = 0.5;
export const MIN_COVERED = 0.3;

export interface ObjectScore {
  /** Share of the pixels labelled with the class that lie inside the class's boxes (0 when none is labelled). */
  inside: number;
  /** Share of the object's box labelled with its class. */
  covered: number;
  found: boolean;
}

/** Whether a pixel centre lies inside the box. */
function contains(box: Box, x: number, y: number): boolean {
  return x + 0.5 >= box[0] && x + 0.5 < box[2] && y + 0.5 >= box[1] && y + 0.5 < box[3];
}

/** Scores each object of an image against a label mask of `width` x `height` (boxes in the same pixels). */
export function scoreObjects(mask: Uint8Array, width: number, height: number, objects: readonly BoxedObject[]): ObjectScore[] {
  if (mask.length !== width * height) throw new Error(`mask has ${mask.length} pixels, expected ${width}x${height}`);
  // The inside share belongs to a class (all its boxes), so it is counted once per class.
  const insideOf = new Map<number, number>();
  for (const classId of new Set(objects.map((o) => o.classId))) {
    const classBoxes = objects.filter((o) => o.classId === classId).map((o) => o.box);
    let labelled = 0;
    let inside = 0;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (mask[y * width + x] !== classId) continue;
        labelled++;
        if (classBoxes.some((b) => contains(b, x, y))) inside++;
      }
    }
    insideOf.set(classId, labelled > 0 ? inside / labelled : 0);
  }
  return objects.map(({ classId, box }) => {
    // Only the pixels whose centre can lie in the box.
    const x0 = Math.max(0, Math.ceil(box[0] - 0.5));
    const x1 = Math.min(width, Math.ceil(box[2] - 0.5));
    const y0 = Math.max(0, Math.ceil(box[1] - 0.5));
    const y1 = Math.min(height, Math.ceil(box[3] - 0.5));
    let boxArea = 0;
    let covered = 0;
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        boxArea++;
        if (mask[y * width + x] === classId) covered++;
      }
    }
    const inside = insideOf.get(classId)!;
    const coveredShare = boxArea > 0 ? covered / boxArea : 0;
    return { inside, covered: coveredShare, found: inside >= MIN_INSIDE && coveredShare >= MIN_COVERED };
  });
}

/** Scales boxes drawn on a `fromWidth`-wide image to one `toWidth` wide (aspect kept). */
export function scaleBox(box: Box, fromWidth: number, toWidth: number): Box {
  const s = toWidth / fromWidth;
  return [box[0] * s, box[1] * s, box[2] * s, box[3] * s];
}
