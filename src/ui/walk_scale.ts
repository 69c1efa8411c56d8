/**
 * The t slider's positions run 0 … steps in both modes. In log mode position p
 * shows t = (steps + 1)^(p / steps) - 1, so both ends stay put (0 and steps)
 * and the early steps, where the walk changes the mask most, get more room.
 */
export function tFromSlider(position: number, steps: number, logScale: boolean): number {
  if (!logScale || steps === 0) return Math.round(position);
  return Math.round(Math.pow(steps + 1, position / steps) - 1);
}

export function sliderFromT(t: number, steps: number, logScale: boolean): number {
  if (!logScale || steps === 0) return t;
  return Math.round((Math.log(t + 1) / Math.log(steps + 1)) * steps);
}
