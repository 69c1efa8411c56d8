import { useEffect } from 'react';
import { useLabStore } from '../../state/store';
import { sliderFromT, tFromSlider } from '../walk_scale';

/** Slider positions advanced per animation frame while playing (256 steps ≈ 4 s at 60 Hz). */
const POSITIONS_PER_FRAME = 1;

/**
 * Animates t while `playing`, one slider position per frame (so log mode
 * lingers on the early steps), and stops at the end.
 */
export function useWalkPlayback(): void {
  const playing = useLabStore((s) => s.playing);
  useEffect(() => {
    if (!playing) return;
    let frame = requestAnimationFrame(function tick() {
      const { t, steps, logScale, setT, setPlaying } = useLabStore.getState();
      const start = t >= steps ? 0 : sliderFromT(t, steps, logScale);
      const position = Math.min(steps, start + POSITIONS_PER_FRAME);
      let next = tFromSlider(position, steps, logScale);
      if (next === t && t < steps) next = t + 1; // log mode can round back to the same t
      setT(next);
      if (next >= steps) setPlaying(false);
      else frame = requestAnimationFrame(tick);
    });
    return () => cancelAnimationFrame(frame);
  }, [playing]);
}
