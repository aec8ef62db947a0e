import { Link } from 'react-router';
import { useDescriptors, useIncidents } from '../api/queries';
import { formatAge, shortId } from '../components/format';
import { IncidentActions } from './IncidentActions';

/** Faulted or held orders waiting for a person: retry, skip with an outcome, or cancel. */
export function IncidentsPage() {
  const incidents = useIncidents();
  const descriptors = useDescriptors();
  // Fixed outcomes come from the descriptor; outcomes taken from an input are typed in (or chosen on the instance page).
  const outcomesOf = (type: string) => {
    const d = descriptors.data?.get(type);
    return d && !d.outcomesFromInput && d.outcomes?.length ? d.outcomes : null;
  };
  return (
    <div className="list-page">
      <header className="page-head">
        <div>
          <h1>Incidents</h1>
          <div className="muted">Activities that failed for good, or paths held for a person. Every action is journaled with your name.</div>
        </div>
      </header>
      {incidents.error && <div className="page-error" role="alert">{String(incidents.error)}</div>}
      <table className="table">
        <thead><tr><th>Order / instance</th><th>Activity</th><th>Problem</th><th>Attempts</th><th>Age</th><th>Decision</th></tr></thead>
        <tbody>
          {incidents.data?.map((i) => (
            <tr key={i.id} data-testid={`incident-${i.id}`}>
              <td><Link to={`/instances/${i.instanceId}`}>{i.correlationId ?? shortId(i.instanceId)}</Link></td>
              <td><code>{i.activityId}</code> <span className="muted small">{i.activityType}</span></td>
              <td className="message-cell">{i.message}</td>
              <td>{String(i.attempts)}</td>
              <td className="muted">{formatAge(i.createdAt)}</td>
              <td><IncidentActions incident={i} outcomes={outcomesOf(i.activityType)} /></td>
            </tr>
          ))}
        </tbody>
      </table>
      {incidents.data?.length === 0 && <div className="empty">No open incidents. Nothing is stuck.</div>}
    </div>
  );
}
