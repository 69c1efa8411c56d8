import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { useLabStore } from './state/store';
import { testHooks } from './state/test_hooks';
import { SYNTHETIC_MODEL_ID } from './models/synthetic_pipeline';
import { App } from './ui/App';
import './ui/styles.css';

const params = new URLSearchParams(location.search);
const requestedBackend = params.get('backend');
const requestedModel = params.get('model') || null;

// Browser tests read the worker's tensor count, lose its WebGPU device and read the walk through these; only ?test-hooks exposes them.
if (params.has('test-hooks')) Object.assign(window, { affinityLabTestHooks: testHooks });

// Models load only once a backend is chosen: their weights go to that backend.
void (async () => {
  const { initRuntime, discoverModels } = useLabStore.getState();
  await initRuntime(requestedBackend);
  await discoverModels(requestedModel === SYNTHETIC_MODEL_ID, requestedModel);
})();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
