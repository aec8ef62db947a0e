import { useEffect, useRef } from 'react';
import { copySelection, parseClipboard, paste, type ClipboardContent } from '../model/clipboard';
import type { DesignerDocument } from './useDesignerDocument';

interface Options {
  doc: DesignerDocument;
  canEdit: boolean;
  isStart: (type: string) => boolean;
  onSave: () => void;
  onLayout: () => void;
  onFit: () => void;
}

const isTyping = (target: EventTarget | null) =>
  target instanceof HTMLElement && target.closest('input, textarea, select, .cm-editor, dialog') !== null;

/**
 * The designer's keyboard: Ctrl+Z / Ctrl+Shift+Z (or Ctrl+Y) undo and redo, Ctrl+S saves, Ctrl+A selects all,
 * Ctrl+C / Ctrl+V copy and paste, Shift+L arranges, Shift+F fits. Delete is React Flow's own. Nothing fires while
 * typing in a field or an editor.
 */
export function useDesignerShortcuts({ doc, canEdit, isStart, onSave, onLayout, onFit }: Options): void {
  const clipboard = useRef<ClipboardContent | null>(null);
  const { nodes, edges } = doc.present;

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTyping(e.target)) return;
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (mod && key === 'z' && !e.shiftKey) { e.preventDefault(); doc.undo(); }
      else if (mod && (key === 'y' || (key === 'z' && e.shiftKey))) { e.preventDefault(); doc.redo(); }
      else if (mod && key === 's' && canEdit) { e.preventDefault(); onSave(); }
      else if (mod && key === 'a') { e.preventDefault(); doc.replace((s) => ({ ...s, nodes: s.nodes.map((n) => ({ ...n, selected: true })) })); }
      else if (mod && key === 'c') {
        const copied = copySelection(nodes, edges);
        if (copied) { clipboard.current = copied; void navigator.clipboard?.writeText(JSON.stringify(copied)).catch(() => {}); }
      } else if (e.shiftKey && !mod && key === 'l' && canEdit) { e.preventDefault(); onLayout(); }
      else if (e.shiftKey && !mod && key === 'f') { e.preventDefault(); onFit(); }
    };
    // Ctrl+V: activities copied here or in another console tab (the system clipboard), else the last copy in this page.
    const onPaste = (e: ClipboardEvent) => {
      if (isTyping(e.target) || !canEdit) return;
      const content = parseClipboard(e.clipboardData?.getData('text/plain') ?? '') ?? clipboard.current;
      if (!content) return;
      e.preventDefault();
      doc.commit((s) => {
        const pasted = paste(content, s.nodes, isStart);
        return { ...s, nodes: [...s.nodes.map((n) => ({ ...n, selected: false })), ...pasted.nodes], edges: [...s.edges, ...pasted.edges] };
      });
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('paste', onPaste);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('paste', onPaste);
    };
  }, [doc, nodes, edges, canEdit, isStart, onSave, onLayout, onFit]);
}
