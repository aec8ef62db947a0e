import { useRef } from 'react';
import { Link } from 'react-router';

interface Props {
  title: string;
  workflowId: string;
  canEdit: boolean;
  dirty: boolean;
  problems: number;
  validating: boolean;
  canUndo: boolean;
  canRedo: boolean;
  onUndo: () => void;
  onRedo: () => void;
  onLayout: () => void;
  onFit: () => void;
  onSave: () => void;
  onPublish: () => void;
  onVersions: () => void;
  onExport: () => void;
  onImport: (file: File) => void;
  onRun: () => void;
}

/** The designer's commands; shortcuts are in the titles. Viewers see only what does not change the workflow. */
export function DesignerToolbar(p: Props) {
  const file = useRef<HTMLInputElement>(null);
  return (
    <div className="toolbar" role="toolbar" aria-label="Designer">
      <div className="toolbar-title">
        <Link to="/workflows" className="muted">Workflows</Link>
        <span className="muted"> / </span>
        <strong>{p.title}</strong>
        <span className={`validity ${p.problems ? 'bad' : p.validating ? 'pending' : 'good'}`} data-testid="validity">
          {p.validating && p.problems === 0 ? 'Checking…' : p.problems ? `${p.problems} problem${p.problems === 1 ? '' : 's'}` : 'Valid'}
        </span>
        {p.dirty && p.canEdit && <span className="muted small">Unsaved changes</span>}
        {!p.canEdit && <span className="badge">Read only</span>}
      </div>
      <div className="toolbar-actions">
        {p.canEdit && (
          <>
            <button type="button" onClick={p.onUndo} disabled={!p.canUndo} title="Undo (Ctrl+Z)">Undo</button>
            <button type="button" onClick={p.onRedo} disabled={!p.canRedo} title="Redo (Ctrl+Shift+Z)">Redo</button>
            <span className="sep" />
            <button type="button" onClick={p.onLayout} title="Arrange automatically (Shift+L)">Auto-layout</button>
          </>
        )}
        <button type="button" onClick={p.onFit} title="Zoom to fit (Shift+F)">Fit</button>
        <span className="sep" />
        <button type="button" onClick={p.onVersions} title="Version history and diffs">Versions</button>
        <button type="button" onClick={p.onExport} title="Download the workflow's JSON file">Export</button>
        {p.canEdit && (
          <>
            <button type="button" onClick={() => file.current?.click()} title="Replace the canvas with a workflow JSON file">Import</button>
            <input ref={file} type="file" accept="application/json,.json" hidden aria-label="Import workflow file"
              onChange={(e) => { const f = e.target.files?.[0]; if (f) p.onImport(f); e.target.value = ''; }} />
            <span className="sep" />
            <button type="button" onClick={p.onRun} title="Start a test instance of the latest published version">Run…</button>
            <button type="button" onClick={p.onSave} title="Save draft (Ctrl+S)">Save draft</button>
            <button type="button" className="primary" onClick={p.onPublish} disabled={p.problems > 0} title={p.problems ? 'Fix the problems first' : 'Publish a new version'}>Publish</button>
          </>
        )}
      </div>
    </div>
  );
}
