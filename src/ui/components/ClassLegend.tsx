import { VOC_CLASSES } from '../../core/constants';
import { paletteCss } from '../render/pixels';

/** VOC palette swatches for the classes on screen (background first, black as in the masks). */
export function ClassLegend({ classIds }: { classIds: number[] }) {
  return (
    <ul className="class-legend" aria-label="Mask colours" data-testid="class-legend">
      {[0, ...classIds].map((c) => (
        <li key={c}>
          <span className="swatch" style={{ background: paletteCss(c) }} />
          {VOC_CLASSES[c]}
        </li>
      ))}
    </ul>
  );
}
