import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { isBackendName } from './gpu/backend';
import { useLabStore } from './state/store';
import { App } from './ui/App';
import './ui/styles.css';

const requested = new URLSearchParams(location.search).get('backend');
void useLabStore.getState().initRuntime(isBackendName(requested) ? requested : undefined);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
