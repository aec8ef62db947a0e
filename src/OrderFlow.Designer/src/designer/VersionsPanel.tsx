import { useState } from 'react';
import { Link } from 'react-router';
import { useVersions } from '../api/queries';
import { formatTime } from '../components/format';

/** Published versions: open one in the canvas, or pick two to compare. */
export function VersionsPanel({ workflowId, onOpen, onClose }: { workflowId: string; onOpen: (version: number) => void; onClose: () => void }) {
  const versions = useVersions(workflowId);
  const [picked, setPicked] = useState<number[]>([]);
  const toggle = (v: number) => setPicked((p) => (p.includes(v) ? p.filter((x) => x !== v) : [...p, v].slice(-2)));
  const [from, to] = [...picked].sort((a, b) => a - b);
  return (
    <aside className="versions-panel" aria-label="Versions">
      <div className="panel-head">
        <h2>Versions</h2>
        <button type="button" className="icon" aria-label="Close versions" onClick={onClose}>×</button>
      </div>
      {versions.data?.length === 0 && <p className="muted">Not published yet.</p>}
      <ul className="version-list">
        {[...(versions.data ?? [])].reverse().map((v) => {
          const n = Number(v.version);
          return (
            <li key={n}>
              <label>
                <input type="checkbox" checked={picked.includes(n)} onChange={() => toggle(n)} aria-label={`Compare version ${n}`} />
                <strong>v{n}</strong>
              </label>
              <span className="muted">{formatTime(v.publishedAt)} · {v.publishedBy.replace(/^ops:/, '')}</span>
              <button type="button" className="link" onClick={() => onOpen(n)}>Open</button>
            </li>
          );
        })}
      </ul>
      {from !== undefined && to !== undefined ? (
        <Link className="button primary" to={`/workflows/${encodeURIComponent(workflowId)}/diff?from=${from}&to=${to}`}>Compare v{from} → v{to}</Link>
      ) : (
        <p className="muted small">Tick two versions to see what changed between them.</p>
      )}
    </aside>
  );
}
