import { useEffect, useState } from 'react';
import { useLabStore } from '../../state/store';
import { AffinityGraph, walkClient } from '../../workers/walk_client';

/** The worker's affinity graph for the current image, once it has arrived. */
export function useAffinityGraph(): AffinityGraph | null {
  const ready = useLabStore((s) => s.affinityReady);
  const graph = walkClient.affinityGraph();
  return ready !== 0 && graph?.inputsId === ready ? graph : null;
}

/**
 * Row `cell` of T^t from the worker (where the cell's revised score comes
 * from), re-requested whenever the cell, t or the walk changes. Requests are
 * coalesced in the walk client, so a fast-moving pointer never queues up work.
 */
export function useTransitionRow(cell: number | null, t: number): Float32Array | null {
  const walkId = useLabStore((s) => s.walkId);
  const [row, setRow] = useState<{ walkId: number; cell: number; t: number; row: Float32Array } | null>(null);
  useEffect(
    () =>
      walkClient.subscribe((event) => {
        if (event.type === 'row') setRow(event);
      }),
    [],
  );
  useEffect(() => {
    if (cell !== null) walkClient.requestRow(cell, t);
  }, [cell, t, walkId]);
  // Show the latest row for this cell and walk even while a newer t is being computed.
  return row && cell !== null && row.cell === cell && row.walkId === walkId ? row.row : null;
}
