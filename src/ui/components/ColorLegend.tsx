import { colormapGradientCss } from '../../core/colormap';

const GRADIENT = colormapGradientCss();

/** Viridis bar with its end labels. */
export function ColorLegend({ low, high, title }: { low: string; high: string; title: string }) {
  return (
    <div className="color-legend" aria-label={`${title}: colour scale from ${low} to ${high}`}>
      <span className="muted">{title}</span>
      <span>{low}</span>
      <span className="color-bar" style={{ background: GRADIENT }} />
      <span>{high}</span>
    </div>
  );
}
