import { useMemo } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useDescriptors, useVersion } from '../api/queries';
import { ReadOnlyCanvas } from '../components/ReadOnlyCanvas';
import { outcomesOf, type GraphNode } from '../model/definition';
import { diffDefinitions, summarize, type ChangeKind } from '../model/diff';
import { decorateEdges, decorateNodes } from './decorate';
import { snapshotOf } from './useDesignerDocument';

const GHOST = { width: 230, height: 120 };

/** Removed activities are drawn where they were, moved right while they would cover an activity of the newer version. */
function placeBeside(removed: GraphNode[], kept: GraphNode[]): GraphNode[] {
  const placed = [...kept];
  return removed.map((n) => {
    let { x } = n.position;
    const covers = (m: GraphNode) => Math.abs(m.position.x - x) < GHOST.width && Math.abs(m.position.y - n.position.y) < GHOST.height;
    while (placed.some(covers)) x += GHOST.width + 20;
    const moved = { ...n, position: { x, y: n.position.y } };
    placed.push(moved);
    return moved;
  });
}

/** Two versions drawn as one: the newer version, with removed activities as ghosts and every change marked. */
export function DiffPage() {
  const { id = '' } = useParams();
  const [search] = useSearchParams();
  const from = Number(search.get('from'));
  const to = Number(search.get('to'));
  const before = useVersion(id, from);
  const after = useVersion(id, to);
  const descriptors = useDescriptors();

  const view = useMemo(() => {
    if (!before.data || !after.data || !descriptors.data) return null;
    const diff = diffDefinitions(before.data, after.data);
    const order = (type: string, inputs: Record<string, unknown>) => outcomesOf(descriptors.data.get(type), inputs);
    const newer = snapshotOf(after.data, order);
    const older = snapshotOf(before.data, order);
    const removed = placeBeside(older.nodes.filter((n) => !newer.nodes.some((m) => m.id === n.id)), newer.nodes);
    const removedEdges = older.edges.filter((e) => diff.removedConnections.includes(e.id));
    const changes = new Map<string, ChangeKind>(diff.activities.map((a) => [a.id, a.kind]));
    const edgeClasses = new Map<string, string>([
      ...diff.addedConnections.map((e) => [e, 'edge-added'] as [string, string]),
      ...diff.removedConnections.map((e) => [e, 'edge-removed'] as [string, string]),
    ]);
    const allEdges = [...newer.edges, ...removedEdges];
    return {
      diff,
      nodes: decorateNodes([...newer.nodes, ...removed], allEdges, descriptors.data, { changes }),
      edges: decorateEdges(allEdges, edgeClasses),
    };
  }, [before.data, after.data, descriptors.data]);

  return (
    <div className="diff-page">
      <header className="page-head">
        <div>
          <div className="crumbs"><Link to={`/workflows/${encodeURIComponent(id)}`} className="muted">{id}</Link><span className="muted"> / </span>compare</div>
          <h1>v{from} → v{to}</h1>
          {view && <div className="muted" data-testid="diff-summary">{summarize(view.diff)}</div>}
        </div>
        <div className="legend">
          <span className="legend-item change-added">added</span>
          <span className="legend-item change-removed">removed</span>
          <span className="legend-item change-changed">changed</span>
        </div>
      </header>
      <div className="instance-body">
        <div className="canvas">{view && <ReadOnlyCanvas nodes={view.nodes} edges={view.edges} />}</div>
        <aside className="journal-panel">
          <h2>Changes</h2>
          <ul className="change-list">
            {view?.diff.activities.filter((a) => a.kind !== 'unchanged').map((a) => (
              <li key={a.id} className={`change-${a.kind}`}>
                <span className={`node-change change-${a.kind}`}>{a.kind}</span> <strong>{a.id}</strong> <span className="muted">{a.type}</span>
                {a.fields.length > 0 && <div className="muted small">{a.fields.join(', ')}</div>}
              </li>
            ))}
            {view?.diff.addedConnections.map((c) => <li key={`+${c}`} className="change-added small">+ {c}</li>)}
            {view?.diff.removedConnections.map((c) => <li key={`-${c}`} className="change-removed small">− {c}</li>)}
          </ul>
        </aside>
      </div>
    </div>
  );
}
