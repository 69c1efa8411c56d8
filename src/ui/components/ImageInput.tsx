import { smallImageWarning } from '../../io/browser_image';
import { SAMPLES } from '../samples';
import { useLabStore } from '../../state/store';
import { useImageInput } from '../hooks/use_image_input';

/** Drop zone with file picker, paste hint and the bundled samples. */
export function ImageInput() {
  const { dragging, openFiles, dropHandlers } = useImageInput();
  const openSample = useLabStore((s) => s.openSample);
  const image = useLabStore((s) => s.image);
  const busy = useLabStore((s) => s.imageBusy);
  const error = useLabStore((s) => s.imageError);
  const dismiss = useLabStore((s) => s.dismissImageError);
  const smallWarning = image ? smallImageWarning(image.bitmap.width, image.bitmap.height) : null;

  return (
    <section className="panel" aria-labelledby="image-heading">
      <h2 id="image-heading">Image</h2>
      <label className={`dropzone${dragging ? ' dropzone-active' : ''}`} {...dropHandlers}>
        <input
          type="file"
          accept="image/*"
          data-testid="upload-input"
          onChange={(e) => {
            openFiles(e.currentTarget.files);
            e.currentTarget.value = ''; // the same file again must fire change
          }}
        />
        <span>{busy ? 'Opening…' : 'Drop an image, click to choose one, or paste (Ctrl+V)'}</span>
      </label>
      {image && (
        <p className="muted" data-testid="image-name">
          {image.name} · {image.bitmap.width}×{image.bitmap.height}
          {image.groundTruth && ' · has ground truth'}
        </p>
      )}
      {image?.warning && <p className="warning" role="note" data-testid="image-damaged-warning">{image.warning}</p>}
      {smallWarning && <p className="warning" role="note" data-testid="image-warning">{smallWarning}</p>}
      {error && (
        <p className="error" role="alert" data-testid="image-error">
          <span data-testid="image-error-text">{error}</span> <button type="button" className="link" onClick={dismiss}>dismiss</button>
        </p>
      )}
      <div className="samples" role="group" aria-label="Sample images">
        {SAMPLES.map((s) => (
          <button
            key={s.id}
            type="button"
            className={`sample${image?.sampleId === s.id ? ' sample-active' : ''}`}
            data-testid={`sample-${s.id}`}
            title={`${s.name}${s.mask ? ' (with ground truth)' : ''} — ${s.credit}`}
            onClick={() => void openSample(s)}
          >
            <img src={s.image} alt="" loading="lazy" />
            <span>{s.name}{s.mask && <abbr title="has a ground-truth mask"> ✓GT</abbr>}</span>
          </button>
        ))}
      </div>
    </section>
  );
}
