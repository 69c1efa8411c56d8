import { useLabStore } from '../../state/store';

/** Always-visible tfjs backend, why it was chosen, and which backends failed before it. */
export function BackendBadge() {
  const backend = useLabStore((s) => s.backend);
  const error = useLabStore((s) => s.backendError);
  if (error) {
    return <span className="badge badge-error" data-testid="backend-badge" role="status">no backend: {error}</span>;
  }
  if (!backend) {
    return <span className="badge" data-testid="backend-badge" role="status">starting backend…</span>;
  }
  const { name, reason, skipped } = backend;
  const title = skipped.map((s) => `${s.name} failed: ${s.error}`).join('\n') || undefined;
  return (
    <span className={`badge badge-${name}`} data-testid="backend-badge" data-backend={name} role="status" title={title}>
      backend: <strong>{name}</strong>
      <span className="badge-reason"> — {reason}</span>
      {skipped.length > 0 && <span className="badge-skipped"> · fell back from {skipped.map((s) => s.name).join(', ')}</span>}
    </span>
  );
}
