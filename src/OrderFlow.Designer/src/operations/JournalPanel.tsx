import type { JournalEntry } from '../api/types';
import { formatTime } from '../components/format';
import { formatDuration } from '../model/journal';

function Json({ label, value }: { label: string; value: unknown }) {
  if (value === null || value === undefined) return null;
  return (
    <details className="json-block" open>
      <summary>{label}</summary>
      <pre>{JSON.stringify(value, null, 2)}</pre>
    </details>
  );
}

/** The journal entries of one activity: each execution with its event, outcome, attempt, input, output, error and timing. */
export function JournalPanel({ activityId, entries, onClose }: { activityId: string; entries: JournalEntry[]; onClose: () => void }) {
  return (
    <aside className="journal-panel" aria-label={`Journal of ${activityId}`}>
      <div className="panel-head">
        <h2>{activityId}</h2>
        <button type="button" className="icon" aria-label="Close journal" onClick={onClose}>×</button>
      </div>
      {entries.length === 0 && <p className="muted">This activity has not run in this instance.</p>}
      <ol className="journal-entries">
        {entries.map((e) => (
          <li key={String(e.id)} className={`journal-entry event-${e.event}`} data-event={e.event}>
            <div className="entry-head">
              <span className={`event-badge event-${e.event}`}>{e.event}</span>
              {e.outcomes?.length ? <span className="outcome-chip">→ {e.outcomes.join(', ')}</span> : null}
              {e.attempt !== null && Number(e.attempt) > 1 && <span className="muted">attempt {String(e.attempt)}</span>}
            </div>
            <div className="entry-meta muted">
              {formatTime(e.startedAt)}{e.durationMs !== null ? ` · ${formatDuration(e.durationMs)}` : ''}{e.actor ? ` · by ${e.actor}` : ''}
            </div>
            {e.error && <div className="entry-error">{e.error}</div>}
            <Json label="Input" value={e.input} />
            <Json label="Output" value={e.output} />
          </li>
        ))}
      </ol>
    </aside>
  );
}
