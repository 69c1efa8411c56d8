import { useState } from 'react';
import { buildExport, ExportKind } from '../export';
import { useLabStore } from '../../state/store';
import type { LabResult } from './use_lab_result';

/** Builds an export file and hands it to the browser as a download; failures become a message. */
export function useExport(result: LabResult | null) {
  const [error, setError] = useState<string | null>(null);
  const download = (kind: ExportKind) => {
    if (!result) return;
    const { t, alpha, walkAvailable } = useLabStore.getState();
    const { name, bitmap } = result.image;
    try {
      const file = buildExport(kind, result.analysis, result.meta, { name, width: bitmap.width, height: bitmap.height }, Math.min(t, walkAvailable - 1), alpha);
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
