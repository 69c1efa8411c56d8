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
    <div className="tabs" role="tablist" aria-label="Views">
      {TABS.map((tab) => (
        <button
          key={tab.view}
          type="button"
          role="tab"
          id={`tab-${tab.view}`}
          aria-selected={view === tab.view}
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
