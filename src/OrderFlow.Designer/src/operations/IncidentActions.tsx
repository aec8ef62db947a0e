import { useState } from 'react';
import { useIncidentActions } from '../api/queries';
import type { IncidentSummary } from '../api/types';
import { useSession } from '../components/Session';

/** Retry, skip with a chosen outcome, or cancel the instance; the server journals each with who did it. */
export function IncidentActions({ incident, outcomes }: { incident: IncidentSummary; outcomes: string[] | null }) {
  const { canEdit } = useSession();
  const actions = useIncidentActions();
  const [outcome, setOutcome] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (!canEdit) return null;
  const run = (p: Promise<unknown>) => p.then(() => setError(null), (e: Error) => setError(e.message));
  const busy = actions.retry.isPending || actions.skip.isPending || actions.cancel.isPending;
  return (
    <div className="incident-actions">
      <button type="button" disabled={busy} onClick={() => run(actions.retry.mutateAsync(incident.id))}>Retry</button>
      <span className="skip-group">
        {outcomes ? (
          <select aria-label={`Outcome to skip ${incident.activityId} with`} value={outcome} onChange={(e) => setOutcome(e.target.value)}>
            <option value="">Skip with…</option>
            {outcomes.map((o) => <option key={o} value={o}>{o}</option>)}
          </select>
        ) : (
          <input aria-label={`Outcome to skip ${incident.activityId} with`} placeholder="outcome" value={outcome} onChange={(e) => setOutcome(e.target.value)} />
        )}
        <button type="button" disabled={busy || !outcome} onClick={() => run(actions.skip.mutateAsync({ incidentId: incident.id, outcome }))}>Skip</button>
      </span>
      <button type="button" className="danger" disabled={busy}
        onClick={() => window.confirm(`Cancel the whole instance ${incident.correlationId ?? incident.instanceId}?`) && run(actions.cancel.mutateAsync(incident.instanceId))}>
        Cancel
      </button>
      {error && <span className="field-error" role="alert">{error}</span>}
    </div>
  );
}
