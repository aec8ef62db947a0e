import type { ReactNode } from 'react';

/** A labelled form field with the server's error for it (or a hint when there is none). */
export function Field({ label, error, hint, children, wide }: { label: string; error?: string[] | undefined; hint?: string; children: ReactNode; wide?: boolean }) {
  return (
    <label className={`field${wide ? ' wide' : ''}`}>
      <span className="field-label">{label}</span>
      {children}
      {error ? <span className="field-error">{error.join(' ')}</span> : hint ? <span className="field-hint">{hint}</span> : null}
    </label>
  );
}
