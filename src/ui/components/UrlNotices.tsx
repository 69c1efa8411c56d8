import { useLabStore } from '../../state/store';

/** URL options the app could not follow (?backend=, ?model=), and a lost GPU device, said out loud rather than ignored. */
export function UrlNotices() {
  const backendNotice = useLabStore((s) => s.backendNotice);
  const backendLostNotice = useLabStore((s) => s.backendLostNotice);
  const modelNotice = useLabStore((s) => s.modelNotice);
  return (
    <>
      {backendNotice && <p className="warning banner" role="alert" data-testid="backend-notice">{backendNotice}</p>}
      {modelNotice && <p className="warning banner" role="alert" data-testid="model-notice">{modelNotice}</p>}
      {backendLostNotice && <p className="warning banner" role="alert" data-testid="backend-lost-notice">{backendLostNotice}</p>}
    </>
  );
}
