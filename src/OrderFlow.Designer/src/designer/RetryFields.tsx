import type { ActivityNode } from '../api/types';

type Retry = NonNullable<ActivityNode['retry']>;

const FIELDS: { key: keyof Retry; label: string; step: number; hint: string }[] = [
  { key: 'maxAttempts', label: 'Attempts', step: 1, hint: 'including the first; 1 = no retry' },
  { key: 'initialDelaySeconds', label: 'First delay (s)', step: 1, hint: 'doubled each attempt' },
  { key: 'maxDelaySeconds', label: 'Longest delay (s)', step: 1, hint: 'upper bound of one delay' },
  { key: 'jitter', label: 'Jitter', step: 0.05, hint: '0.2 = ±20% at random' },
];

/** The engine's RetryPolicy defaults: a policy the definition sets is complete, missing fields take these. */
export const ENGINE_RETRY: Retry = { maxAttempts: 3, initialDelaySeconds: 2, maxDelaySeconds: 300, jitter: 0.2 };

/**
 * The activity's retry policy. Without one the activity type's default applies (shown greyed); changing a field
 * starts from that default, so what is shown is what runs.
 */
export function RetryFields({ retry, fallback, editable, onChange }: { retry: Retry | null | undefined; fallback: Retry | null | undefined; editable: boolean; onChange: (retry: Retry | null) => void }) {
  const base = { ...ENGINE_RETRY, ...(fallback ?? {}) };
  const set = (key: keyof Retry, text: string) => onChange({ ...base, ...(retry ?? {}), [key]: text === '' ? base[key] : Number(text) });
  return (
    <details className="retry" open={!!retry}>
      <summary>Retry policy{retry ? '' : ' (default)'}</summary>
      <div className="retry-grid">
        {FIELDS.map((f) => (
          <label key={f.key} title={f.hint}>
            <span>{f.label}</span>
            <input type="number" min={0} step={f.step} disabled={!editable} aria-label={`Retry ${f.label}`}
              value={retry?.[f.key] === undefined ? '' : String(retry[f.key])}
              placeholder={String(base[f.key])}
              onChange={(e) => set(f.key, e.target.value)} />
          </label>
        ))}
      </div>
      {retry && editable && <button type="button" className="link" onClick={() => onChange(null)}>Use the default</button>}
    </details>
  );
}
