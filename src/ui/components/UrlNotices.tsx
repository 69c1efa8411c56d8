import { useLabStore } from '../../state/store';

/** URL options the app could not follow (?backend=, ?model=), said out loud rather than ignored. */
export function UrlNotices() {
  const backendNotice = useLabStore((s) => s.backendNotice);
  const modelNotice = useLabStore((s) => s.modelNotice);
  return (
    <>
      {backendNotice && <p className="warning banner" role="alert" data-testid="backend-notice">{backendNotice}</p>}
      {modelNotice && <p className="warning banner" role="alert" data-testid="model-notice">{modelNotice}</p>}
    </>
  );
}
