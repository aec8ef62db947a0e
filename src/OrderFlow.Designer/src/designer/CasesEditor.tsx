import { CodeEditor } from '../components/CodeEditor';
import { isRecord } from '../model/definition';
import type { ScopeEntry } from '../model/scope';

interface Case {
  name: string;
  condition?: unknown;
}

const asCases = (value: unknown): Case[] =>
  Array.isArray(value) ? value.filter(isRecord).map((c) => ({ ...c, name: typeof c.name === 'string' ? c.name : '' })) : [];

const conditionText = (condition: unknown) =>
  isRecord(condition) && typeof condition.$js === 'string' ? condition.$js : condition === undefined ? '' : JSON.stringify(condition);

/** A Switch's cases: each an outcome name and the expression that picks it; the first that holds wins, else Default. */
export function CasesEditor({ value, onChange, editable, scope }: { value: unknown; onChange: (value: unknown) => void; editable: boolean; scope: readonly ScopeEntry[] }) {
  const cases = asCases(value);
  const update = (next: Case[]) => onChange(next.length ? next : undefined);
  const patch = (index: number, change: Partial<Case>) => update(cases.map((c, i) => (i === index ? { ...c, ...change } : c)));
  return (
    <div className="cases">
      {cases.map((c, i) => (
        <div key={i} className="case-row">
          <div className="case-head">
            <input type="text" aria-label={`Case ${i + 1} outcome`} placeholder="Outcome name" value={c.name} disabled={!editable}
              onChange={(e) => patch(i, { name: e.target.value })} />
            {editable && <button type="button" className="icon" aria-label={`Remove case ${i + 1}`} onClick={() => update(cases.filter((_, j) => j !== i))}>×</button>}
          </div>
          <CodeEditor language="javascript" ariaLabel={`Case ${i + 1} condition`} value={conditionText(c.condition)} scope={scope} readOnly={!editable}
            placeholder="condition, e.g. variables.express === true" onChange={(text) => patch(i, { condition: text === '' ? undefined : { $js: text } })} />
        </div>
      ))}
      {editable && <button type="button" onClick={() => update([...cases, { name: `Case${cases.length + 1}`, condition: { $js: 'true' } }])}>Add case</button>}
    </div>
  );
}
