import { useState } from 'react';
import { buildExport, ExportKind } from '../export';
import { useLabStore } from '../../state/store';
import { stepMaps } from '../../state/walk_steps';
import type { LabResult } from './use_lab_result';

const WALK_EXPORTS: readonly ExportKind[] = ['scores-cam', 'mask-rw', 'scores-rw'];

/** Builds an export file and hands it to the browser as a download; failures become a message. */
export function useExport(result: LabResult | null) {
  const [error, setError] = useState<string | null>(null);
  const download = async (kind: ExportKind) => {
    if (!result) return;
    const { t, alpha, beta, walkAvailable, walkOn } = useLabStore.getState();
    const { name, bitmap } = result.image;
    try {
      const step = Math.min(t, walkAvailable - 1);
      const needsWalk = step >= 0 && WALK_EXPORTS.includes(kind);
      const walk = needsWalk ? { walked: await stepMaps(walkOn, step), start: await stepMaps(walkOn, 0) } : { walked: null, start: null };
      const file = buildExport(kind, result.analysis, result.meta, { name, width: bitmap.width, height: bitmap.height }, { t: step, alpha, beta }, walk);
      const url = URL.createObjectURL(new Blob([file.bytes as BlobPart], { type: file.type }));
      const a = document.createElement('a');
      a.href = url;
      a.download = file.name;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setError(null);
    } catch (e) {
      setError(`Export failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  return { download, error };
}
