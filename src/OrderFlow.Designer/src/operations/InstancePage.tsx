import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useDescriptors, useIncidentActions, useInstance, useJournal, useVersion } from '../api/queries';
import { useSession } from '../components/Session';
import { formatAge, formatTime } from '../components/format';
import { ReadOnlyCanvas } from '../components/ReadOnlyCanvas';
import { decorateEdges, decorateNodes } from '../designer/decorate';
import { snapshotOf } from '../designer/useDesignerDocument';
import { outcomesOf } from '../model/definition';
import { activityStatuses, entriesFor, followedConnections, type ActivityStatus } from '../model/journal';
import { IncidentActions } from './IncidentActions';
import { JournalPanel } from './JournalPanel';

const LIVE = new Set(['Running', 'Waiting', 'Faulted']);
// Intake correlates an order's workflow by the order id.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One workflow instance: its definition with the path it took, each activity's status, and the journal. */
export function InstancePage() {
  const { id = '' } = useParams();
  const instance = useInstance(id);
  const live = LIVE.has(instance.data?.status ?? 'Running');
  const journal = useJournal(id, live, instance.data?.updatedAt);
  const descriptors = useDescriptors();
  const definition = useVersion(instance.data?.definitionId ?? '', instance.data ? Number(instance.data.definitionVersion) : null);
  const [picked, setPicked] = useState<string | null>(null);

  const drawing = useMemo(() => {
    if (!definition.data || !descriptors.data) return null;
    const { nodes, edges } = snapshotOf(definition.data, (type, inputs) => outcomesOf(descriptors.data.get(type), inputs));
    const statuses = new Map<string, ActivityStatus>(activityStatuses(journal.data ?? []));
    for (const b of instance.data?.bookmarks ?? []) statuses.set(b.activityId, 'waiting');
    for (const i of instance.data?.incidents ?? []) if (!i.resolvedAt) statuses.set(i.activityId, 'faulted');
    const followed = followedConnections(journal.data ?? [], definition.data.connections ?? []);
    const edgeClasses = new Map([...followed].map((e) => [e, live ? 'followed-live' : 'followed']));
    return {
      nodes: decorateNodes(nodes.map((n) => ({ ...n, selected: n.id === picked })), edges, descriptors.data, { statuses }),
      edges: decorateEdges(edges, edgeClasses),
      // A long workflow opens on where the instance is now: what it waits on or where it failed.
      focus: [...statuses].filter(([, s]) => s === 'waiting' || s === 'faulted' || s === 'retrying').map(([id]) => id),
      counts: [...statuses.values()].reduce<Record<string, number>>((acc, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }), {}),
    };
  }, [definition.data, descriptors.data, journal.data, instance.data, picked, live]);

  if (instance.error) return <div className="page-error" role="alert">{String(instance.error)}</div>;
  if (!instance.data) return <div className="loading">Loading instance…</div>;
  const data = instance.data;
  const open = data.incidents.filter((i) => !i.resolvedAt);
  const outcomesFor = (activityId: string) => {
    const node = definition.data?.activities?.find((a) => a.id === activityId);
    return node && descriptors.data ? outcomesOf(descriptors.data.get(node.type), node.inputs ?? {}) : null;
  };
  return (
    <div className="instance-page">
      <header className="page-head">
        <div>
          <div className="crumbs"><Link to="/instances" className="muted">Instances</Link><span className="muted"> / </span>{data.correlationId ?? data.id}</div>
          <h1>
            <Link to={`/workflows/${encodeURIComponent(data.definitionId)}`}>{data.definitionId}</Link> <span className="muted">v{String(data.definitionVersion)}</span>
            <span className={`status-pill status-${data.status.toLowerCase()}`} data-testid="instance-status">{data.status}</span>
            {live && <span className="live-dot" title="Updating live">live</span>}
          </h1>
          <div className="muted small">
            Started {formatTime(data.createdAt)} · updated {formatAge(data.updatedAt)} · {data.id}
            {data.correlationId && UUID.test(data.correlationId) && <> · <Link to={`/orders/${data.correlationId}`}>order page</Link></>}
          </div>
        </div>
        <div className="head-side">
        <CancelInstance id={data.id} status={data.status} />
        <div className="legend">
          {(['completed', 'waiting', 'retrying', 'faulted', 'skipped'] as const).map((s) => (
            <span key={s} className={`legend-item status-${s}`}>{s} {drawing?.counts[s] ?? 0}</span>
          ))}
        </div>
        </div>
      </header>
      {open.length > 0 && (
        <section className="incident-banner" role="alert">
          {open.map((i) => (
            <div key={i.id} className="incident-row">
              <div><strong>{i.activityId}</strong> failed after {String(i.attempts)} attempt(s): {i.message}</div>
              <IncidentActions incident={i} outcomes={outcomesFor(i.activityId)} />
            </div>
          ))}
        </section>
      )}
      <div className="instance-body">
        <div className="canvas">{drawing && <ReadOnlyCanvas nodes={drawing.nodes} edges={drawing.edges} onNodeClick={setPicked} focus={drawing.focus} />}</div>
        {picked ? (
          <JournalPanel activityId={picked} entries={entriesFor(journal.data ?? [], picked)} onClose={() => setPicked(null)} />
        ) : (
          <aside className="journal-panel">
            <h2>Journal</h2>
            <p className="muted">Click an activity to see its executions: input, output, error and timing.</p>
            <ol className="journal-compact">
              {(journal.data ?? []).map((e) => (
                <li key={String(e.id)}>
                  <button type="button" className="link" onClick={() => e.activityId && setPicked(e.activityId)}>{e.activityId ?? 'instance'}</button>{' '}
                  <span className={`event-badge event-${e.event}`}>{e.event}</span>
                  {e.outcomes?.length ? <span className="muted"> → {e.outcomes.join(', ')}</span> : null}
                  {e.actor ? <span className="muted"> by {e.actor}</span> : null}
                </li>
              ))}
            </ol>
          </aside>
        )}
      </div>
    </div>
  );
}

/** Stops an instance that is still running or waiting; the journal records who did it. */
function CancelInstance({ id, status }: { id: string; status: string }) {
  const { canEdit } = useSession();
  const { cancel } = useIncidentActions();
  if (!canEdit || !LIVE.has(status)) return null;
  return (
    <button type="button" className="danger" disabled={cancel.isPending}
      onClick={() => window.confirm('Cancel this instance? Its waits are dropped and it will not continue.') && cancel.mutate(id)}>
      Cancel instance
    </button>
  );
}
