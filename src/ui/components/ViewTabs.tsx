import type { LabView } from '../../state/view_slice';
import { useLabStore } from '../../state/store';

const TABS: { view: LabView; label: string }[] = [
  { view: 'cam', label: '1 · Class activation maps' },
  { view: 'affinity', label: '2 · Affinities' },
  { view: 'compare', label: '3 · Random walk & masks' },
];

export function ViewTabs() {
  const view = useLabStore((s) => s.view);
  const setView = useLabStore((s) => s.setView);
  return (
    <div
      className="tabs"
      role="tablist"
      aria-label="Views"
      onKeyDown={(e) => {
        // Arrow keys move between tabs, as in the WAI-ARIA tabs pattern.
        const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
        if (!step) return;
        const next = TABS[(TABS.findIndex((t) => t.view === view) + step + TABS.length) % TABS.length].view;
        setView(next);
        document.getElementById(`tab-${next}`)?.focus();
      }}
    >
      {TABS.map((tab) => (
        <button
          key={tab.view}
          type="button"
          role="tab"
          id={`tab-${tab.view}`}
          aria-selected={view === tab.view}
          tabIndex={view === tab.view ? 0 : -1}
          aria-controls="view-panel"
          data-testid={`tab-${tab.view}`}
          onClick={() => setView(tab.view)}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}
