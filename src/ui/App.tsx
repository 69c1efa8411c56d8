import { BackendBadge } from './components/BackendBadge';

export function App() {
  return (
    <div className="app">
      <header className="app-header">
        <h1>AffinityLab</h1>
        <p className="tagline">Watch weakly supervised segmentation happen: CAM → affinities → random walk → mask</p>
        <BackendBadge />
      </header>
    </div>
  );
}
