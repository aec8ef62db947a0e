import { useState } from 'react';
import { Link } from 'react-router';
import { useInstances } from '../api/queries';
import { formatAge, shortId } from '../components/format';

const STATUSES = ['', 'Running', 'Waiting', 'Faulted', 'Completed', 'Cancelled'];

/** Workflow instances, newest activity first, filtered by status, workflow or correlation id. */
export function InstancesPage() {
  const [status, setStatus] = useState('');
  const [definitionId, setDefinitionId] = useState('');
  const [correlationId, setCorrelationId] = useState('');
  const instances = useInstances({
    ...(status ? { status } : {}),
    ...(definitionId ? { definitionId } : {}),
    ...(correlationId ? { correlationId } : {}),
  });
  return (
    <div className="list-page">
      <header className="page-head"><h1>Instances</h1></header>
      <div className="filters">
        <select aria-label="Status" value={status} onChange={(e) => setStatus(e.target.value)}>
          {STATUSES.map((s) => <option key={s} value={s}>{s || 'Any status'}</option>)}
        </select>
        <input aria-label="Workflow" placeholder="Workflow id" value={definitionId} onChange={(e) => setDefinitionId(e.target.value.trim())} />
        <input aria-label="Correlation id" placeholder="Order / correlation id" value={correlationId} onChange={(e) => setCorrelationId(e.target.value.trim())} />
      </div>
      <table className="table">
        <thead><tr><th>Correlation</th><th>Workflow</th><th>Status</th><th>Started</th><th>Updated</th></tr></thead>
        <tbody>
          {instances.data?.map((i) => (
            <tr key={i.id}>
              <td><Link to={`/instances/${i.id}`}>{i.correlationId ?? shortId(i.id)}</Link></td>
              <td>{i.definitionId} <span className="muted">v{String(i.definitionVersion)}</span></td>
              <td><span className={`status-pill status-${i.status.toLowerCase()}`}>{i.status}</span></td>
              <td className="muted">{formatAge(i.createdAt)}</td>
              <td className="muted">{formatAge(i.updatedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {instances.data?.length === 0 && <div className="empty">No instances match.</div>}
    </div>
  );
}
