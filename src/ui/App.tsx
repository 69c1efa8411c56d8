import { useLabStore } from '../state/store';
import { AffinityView } from './components/AffinityView';
import { BackendBadge } from './components/BackendBadge';
import { CamView } from './components/CamView';
import { CompareView } from './components/CompareView';
import { ExportPanel } from './components/ExportPanel';
import { ImageInput } from './components/ImageInput';
import { ModelPanel } from './components/ModelPanel';
import { UrlNotices } from './components/UrlNotices';
import { ViewTabs } from './components/ViewTabs';
import { WalkControls } from './components/WalkControls';
import { useLabResult } from './hooks/use_lab_result';

function Placeholder() {
  const hasImage = useLabStore((s) => s.image !== null);
  const busy = useLabStore((s) => s.analysisBusy);
  const modelStatus = useLabStore((s) => s.modelStatus);
  const text = !hasImage
    ? 'Open an image or pick a sample to start.'
    : modelStatus === 'error'
      ? 'No model is loaded: see the Model panel.'
      : modelStatus !== 'ready'
        ? 'Loading the model…'
        : busy
          ? 'Running the networks…'
          : 'No result yet.';
  return <p className="placeholder" data-testid="placeholder">{text}</p>;
}

export function App() {
  const view = useLabStore((s) => s.view);
  const result = useLabResult();
  const untrained = useLabStore((s) => (s.modelMeta && !s.modelMeta.trained ? s.modelMeta.name : null));
  return (
    <div className="app">
      <header className="app-header">
        <h1>AffinityLab</h1>
        <p className="tagline">Watch weakly supervised segmentation happen: CAM → affinities → random walk → mask</p>
        <BackendBadge />
      </header>
      <div className="layout">
        <aside className="sidebar">
          <ImageInput />
          <ModelPanel />
          <WalkControls />
          <ExportPanel result={result} />
        </aside>
        <main className="main">
          <UrlNotices />
          {untrained && (
            <p className="warning banner" role="note" data-testid="untrained-banner">
              Model set “{untrained}” is untrained: every map below is for trying the interface, not a prediction.
            </p>
          )}
          <ViewTabs />
          <div id="view-panel" role="tabpanel" aria-labelledby={`tab-${view}`}>
            {!result ? (
              <Placeholder />
            ) : view === 'cam' ? (
              <CamView result={result} />
            ) : view === 'affinity' ? (
              <AffinityView result={result} />
            ) : (
              <CompareView result={result} />
            )}
          </div>
        </main>
      </div>
    </div>
  );
}
