import { useLabStore } from '../../state/store';
import { sliderFromT, tFromSlider } from '../walk_scale';
import { useWalkPlayback } from '../hooks/use_walk_playback';

/** Random-walk step, beta and alpha, and the overlay opacity. All native range inputs, so keyboard works. */
export function WalkControls() {
  const t = useLabStore((s) => s.t);
  const steps = useLabStore((s) => s.steps);
  const logScale = useLabStore((s) => s.logScale);
  const playing = useLabStore((s) => s.playing);
  const beta = useLabStore((s) => s.beta);
  const betaByHand = useLabStore((s) => s.betaByHand);
  const evidence = useLabStore((s) => s.analysis?.classEvidence);
  const setDefault = useLabStore((s) => s.modelMeta?.defaults.beta);
  const alpha = useLabStore((s) => s.alpha);
  const opacity = useLabStore((s) => s.overlayOpacity);
  const available = useLabStore((s) => s.walkAvailable);
  const { setT, setLogScale, setPlaying, setBeta, setAlpha, setOverlayOpacity } = useLabStore.getState();
  useWalkPlayback();

  return (
    <section className="panel controls" aria-labelledby="walk-heading">
      <h2 id="walk-heading">Random walk</h2>
      <label className="slider">
        <span>
          t = <output data-testid="t-value">{t}</output>
          {available > 0 && available - 1 < t && <span className="muted"> (computing: {available - 1})</span>}
        </span>
        <input
          type="range"
          data-testid="t-slider"
          min={0}
          max={steps}
          step={1}
          value={sliderFromT(t, steps, logScale)}
          aria-valuetext={`t = ${t} steps`}
          onChange={(e) => setT(tFromSlider(Number(e.currentTarget.value), steps, logScale))}
        />
      </label>
      <div className="row">
        <button type="button" data-testid="play-button" onClick={() => setPlaying(!playing)} aria-pressed={playing}>
          {playing ? '❚❚ Pause' : '▶ Play'}
        </button>
        <label className="check">
          <input type="checkbox" data-testid="log-scale" checked={logScale} onChange={(e) => setLogScale(e.currentTarget.checked)} />
          log scale
        </label>
      </div>
      <label className="slider" title="Affinities are raised to the power β before the walk: higher β trusts only strong affinities">
        <span>
          β = <output>{beta}</output> <span className="muted">(affinity power; psa: 8)</span>
          {!betaByHand && evidence?.source === 'detector' && evidence.beta !== setDefault && (
            <span className="muted" data-testid="beta-note"> · the set's β for the detector's box CAMs (its own CAMs: {setDefault})</span>
          )}
        </span>
        <input type="range" data-testid="beta-slider" min={1} max={32} step={1} value={beta} onChange={(e) => setBeta(Number(e.currentTarget.value))} />
      </label>
      <label className="slider" title="Background score (1 − max CAM)^α: higher α shrinks the background">
        <span>α = <output>{alpha}</output> <span className="muted">(background power; psa: 16)</span></span>
        <input type="range" data-testid="alpha-slider" min={1} max={64} step={1} value={alpha} onChange={(e) => setAlpha(Number(e.currentTarget.value))} />
      </label>
      <label className="slider">
        <span>overlay opacity <output>{Math.round(opacity * 100)}%</output></span>
        <input type="range" data-testid="opacity-slider" min={0} max={1} step={0.05} value={opacity} onChange={(e) => setOverlayOpacity(Number(e.currentTarget.value))} />
      </label>
    </section>
  );
}
