/**
 * Channel of each PASCAL VOC class in CenterNet's 80 COCO class logits
 * (COCO's 80-class order, 0-based; @vladmandic/human's object/labels.ts).
 * Every VOC class has a COCO counterpart: motorbike = motorcycle,
 * sofa = couch, tvmonitor = tv, diningtable = dining table.
 */
export const COCO_CHANNEL_OF_VOC: Readonly<Record<number, number>> = {
  1: 4, // aeroplane: airplane
  2: 1, // bicycle
  3: 14, // bird
  4: 8, // boat
  5: 39, // bottle
  6: 5, // bus
  7: 2, // car
  8: 15, // cat
  9: 56, // chair
  10: 19, // cow
  11: 60, // diningtable: dining table
  12: 16, // dog
  13: 17, // horse
  14: 3, // motorbike: motorcycle
  15: 0, // person
  16: 58, // pottedplant: potted plant
  17: 18, // sheep
  18: 57, // sofa: couch
  19: 6, // train
  20: 62, // tvmonitor: tv
};
