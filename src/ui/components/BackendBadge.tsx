import { useLabStore } from '../../state/store';

/** Always-visible tfjs backend, plus the WebGPU adapter and why faster backends were skipped. */
export function BackendBadge() {
  const backend = useLabStore((s) => s.backend);
  const error = useLabStore((s) => s.backendError);
  if (error) {
    return <span className="badge badge-error" data-testid="backend-badge" role="status">no backend: {error}</span>;
  }
  if (!backend) {
    return <span className="badge" data-testid="backend-badge" role="status">starting backend…</span>;
  }
  const { name, adapter, skipped } = backend;
  const adapterText = adapter
    ? [adapter.vendor, adapter.architecture].filter(Boolean).join(' / ') + (adapter.isFallbackAdapter ? ' (fallback adapter)' : '')
    : '';
  const title = skipped.map((s) => `${s.name} skipped: ${s.error}`).join('\n') || undefined;
  return (
    <span className={`badge badge-${name}`} data-testid="backend-badge" data-backend={name} role="status" title={title}>
      backend: <strong>{name}</strong>
      {adapterText && <span className="badge-adapter"> · {adapterText}</span>}
      {skipped.length > 0 && <span className="badge-skipped"> · fell back from {skipped.map((s) => s.name).join(', ')}</span>}
    </span>
  );
}
