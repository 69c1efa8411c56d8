import { useLabStore } from '../../state/store';
import { formatBytes, formatMillis } from '../format';
import { AboutModelSet } from './AboutModelSet';

const STAGES = ['backbone', 'cam', 'affinity', 'segmentation'] as const;

/** Model selector, weight download progress, stage progress and timings, and every error. */
export function ModelPanel() {
  const sets = useLabStore((s) => s.modelSets);
  const modelId = useLabStore((s) => s.modelId);
  const meta = useLabStore((s) => s.modelMeta);
  const status = useLabStore((s) => s.modelStatus);
  const progress = useLabStore((s) => s.loadProgress);
  const modelError = useLabStore((s) => s.modelError);
  const selectModel = useLabStore((s) => s.selectModel);
  const busy = useLabStore((s) => s.analysisBusy);
  const stage = useLabStore((s) => s.analysisStage);
  const analysisError = useLabStore((s) => s.analysisError);
  const timings = useLabStore((s) => s.analysis?.timings);
  const walkAvailable = useLabStore((s) => s.walkAvailable);
  const steps = useLabStore((s) => s.steps);
  const walkMillis = useLabStore((s) => s.walkMillis);
  const walkOn = useLabStore((s) => s.walkOn);
  const walkError = useLabStore((s) => s.walkError);
  const hasAnalysis = useLabStore((s) => s.analysis !== null);

  return (
    <section className="panel" aria-labelledby="model-heading">
      <h2 id="model-heading">Model</h2>
      <select
        aria-label="Model set"
        data-testid="model-select"
        value={modelId ?? ''}
        onChange={(e) => void selectModel(e.currentTarget.value)}
        disabled={sets.length === 0}
      >
        {sets.length === 0 && <option value="">looking for model sets…</option>}
        {sets.map((s) => (
          <option key={s.id} value={s.id} disabled={s.unavailable !== null}>
            {s.meta?.name ?? s.id}
            {s.unavailable ? ' (not available)' : ''}
          </option>
        ))}
      </select>
      {meta && !meta.trained && (
        <p className="warning" role="note" data-testid="untrained-warning">
          Untrained: these outputs are not from trained networks and mean nothing about the image.
        </p>
      )}
      <AboutModelSet />
      {status === 'loading' && (
        <div className="progress" data-testid="load-progress">
          <span>Loading weights{progress && progress.total > 0 ? `: ${formatBytes(progress.loaded)} of ${formatBytes(progress.total)}` : '…'}</span>
          <progress value={progress?.loaded ?? 0} max={progress?.total || 1} />
        </div>
      )}
      {(busy || hasAnalysis) && (
        <ol className="stages" data-testid="stages" aria-live="polite">
          {STAGES.map((name) => {
            const done = timings?.[name] !== undefined && !busy;
            const active = busy && stage === name;
            return (
              <li key={name} className={active ? 'stage-active' : done ? 'stage-done' : ''}>
                <span>{name}</span>
                <span>{active ? 'running…' : done ? formatMillis(timings![name]) : ''}</span>
              </li>
            );
          })}
          {hasAnalysis && !busy && (
            <li className={walkMillis !== null ? 'stage-done' : 'stage-active'} data-testid="walk-progress" data-walk-on={walkOn}>
              <span title={walkOn === 'gpu' ? 'every step at once on the GPU (WebGPU kernel)' : 'step by step in a worker on the CPU'}>random walk{walkOn === 'gpu' ? ' (GPU)' : ''}</span>
              <span>{walkMillis !== null ? formatMillis(walkMillis) : `${Math.max(0, walkAvailable - 1)} / ${steps} steps`}</span>
            </li>
          )}
        </ol>
      )}
      {[modelError, analysisError, walkError].filter(Boolean).map((e) => (
        <p key={e} className="error" role="alert">{e}</p>
      ))}
    </section>
  );
}
