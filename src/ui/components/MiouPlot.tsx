import { useLabStore } from '../../state/store';
import { sliderFromT } from '../walk_scale';
import { formatMiou } from '../format';

const W = 320;
const H = 130;
const PAD = { left: 34, right: 8, top: 8, bottom: 22 };

/** mIoU of the revised mask against t, with CAM and final as reference lines and a marker at the current t. */
export function MiouPlot({ camMiou, finalMiou }: { camMiou: number | null; finalMiou: number | null }) {
  const curve = useLabStore((s) => s.miouCurve);
  const t = useLabStore((s) => s.t);
  const steps = useLabStore((s) => s.steps);
  const logScale = useLabStore((s) => s.logScale);
  if (!curve) return <p className="muted" data-testid="miou-plot-pending">Scoring every step against the ground truth…</p>;
  const x = (step: number) => PAD.left + (sliderFromT(step, steps, logScale) / steps) * (W - PAD.left - PAD.right);
  const y = (miou: number) => H - PAD.bottom - miou * (H - PAD.top - PAD.bottom);
  const points = curve.ts.map((s, i) => `${x(s).toFixed(1)},${y(curve.values[i]).toFixed(1)}`).join(' ');
  // The nearest scored step stands in for steps between the scored ones.
  const nearest = curve.ts.reduce((best, s, i) => (Math.abs(s - t) < Math.abs(curve.ts[best] - t) ? i : best), 0);
  // Labels at opposite ends so that close values do not overlap.
  const reference = (value: number | null, cls: string, label: string, end: 'start' | 'end') =>
    value !== null && !Number.isNaN(value) && (
      <g className={cls}>
        <line x1={PAD.left} x2={W - PAD.right} y1={y(value)} y2={y(value)} />
        <text x={end === 'start' ? PAD.left + 20 : W - PAD.right - 2} y={y(value) - 3} textAnchor={end}>{label} {formatMiou(value)}</text>
      </g>
    );
  return (
    <figure className="miou-plot" data-testid="miou-plot">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`mIoU of the revised mask against t; at t = ${curve.ts[nearest]}: ${formatMiou(curve.values[nearest])}`}>
        {[0, 0.5, 1].map((v) => (
          <g key={v} className="plot-grid">
            <line x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} />
            <text x={PAD.left - 4} y={y(v) + 3} textAnchor="end">{v * 100}%</text>
          </g>
        ))}
        {[0, 16, 64, 256].filter((s) => s <= steps).map((s) => (
          <text key={s} className="plot-axis" x={x(s)} y={H - 6} textAnchor="middle">{s}</text>
        ))}
        {reference(camMiou, 'plot-cam', 'CAM', 'start')}
        {reference(finalMiou, 'plot-final', 'final', 'end')}
        <polyline className="plot-rw" points={points} />
        <line className="plot-marker" x1={x(t)} x2={x(t)} y1={PAD.top} y2={H - PAD.bottom} />
        <circle className="plot-marker-dot" cx={x(curve.ts[nearest])} cy={y(curve.values[nearest])} r={3.5} />
      </svg>
      <figcaption className="muted">mIoU of the revised CAM against t{logScale ? ' (log axis)' : ''}</figcaption>
    </figure>
  );
}
