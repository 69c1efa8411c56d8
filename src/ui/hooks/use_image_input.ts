import { useCallback, useEffect, useState } from 'react';
import type { DragEvent } from 'react';
import { useLabStore } from '../../state/store';

/** The first file in a drop or paste that looks like an image (or the first file, to report what it is). */
function pickFile(files: FileList | null | undefined): File | null {
  if (!files || files.length === 0) return null;
  return [...files].find((f) => f.type.startsWith('image/')) ?? files[0];
}

/**
 * File picker, drag-and-drop and clipboard paste all end in openImageFile.
 * Paste listens on the whole window so Ctrl+V works without focusing anything.
 */
export function useImageInput() {
  const openImageFile = useLabStore((s) => s.openImageFile);
  const [dragging, setDragging] = useState(false);

  const openFiles = useCallback(
    (files: FileList | null | undefined) => {
      const file = pickFile(files);
      if (file) void openImageFile(file, file.name || 'pasted image');
    },
    [openImageFile],
  );

  useEffect(() => {
    const onPaste = (e: ClipboardEvent) => {
      const file = pickFile(e.clipboardData?.files);
      if (!file) return;
      e.preventDefault();
      void openImageFile(file, file.name || 'pasted image');
    };
    window.addEventListener('paste', onPaste);
    return () => window.removeEventListener('paste', onPaste);
  }, [openImageFile]);

  const dropHandlers = {
    onDragOver: (e: DragEvent) => {
      e.preventDefault();
      setDragging(true);
    },
    onDragLeave: () => setDragging(false),
    onDrop: (e: DragEvent) => {
      e.preventDefault();
      setDragging(false);
      openFiles(e.dataTransfer.files);
    },
  };

  return { dragging, openFiles, dropHandlers };
}
