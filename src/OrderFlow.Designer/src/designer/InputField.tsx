import { useState } from 'react';
import type { InputDescriptor } from '../api/types';
import { CodeEditor } from '../components/CodeEditor';
import { CasesEditor } from './CasesEditor';
import { isRecord } from '../model/definition';
import type { ScopeEntry } from '../model/scope';

interface Props {
  input: InputDescriptor;
  value: unknown;
  onChange: (value: unknown) => void;
  errors: string[];
  editable: boolean;
  scope: readonly ScopeEntry[];
}

const isExpression = (value: unknown): value is { $js: string } => isRecord(value) && typeof value.$js === 'string';

/** One input of an activity, edited by its descriptor's type: a literal, or a JavaScript expression. */
export function InputField({ input, value, onChange, errors, editable, scope }: Props) {
  const startsAsExpression = isExpression(value) || (value === undefined && input.type === 'boolean' && input.supportsExpression);
  const [mode, setMode] = useState<'value' | 'expression'>(startsAsExpression ? 'expression' : 'value');
  const id = `input-${input.name}`;
  const switchMode = () => {
    const next = mode === 'value' ? 'expression' : 'value';
    setMode(next);
    if (next === 'expression') onChange(value === undefined ? undefined : { $js: typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) });
    else onChange(undefined);
  };
  return (
    <div className={`field${errors.length ? ' field-invalid' : ''}`} data-field={input.name}>
      <div className="field-label">
        <label htmlFor={id}>
          {input.displayName}
          {input.required && <span className="required" title="Required"> *</span>}
        </label>
        <span className="field-type">{mode === 'expression' ? 'expression' : input.type}</span>
        {input.supportsExpression && editable && (
          <button type="button" className={`mode-toggle${mode === 'expression' ? ' on' : ''}`} onClick={switchMode}
            title={mode === 'expression' ? 'Use a fixed value' : 'Use a JavaScript expression'} aria-label={`Expression mode for ${input.displayName}`}>ƒx</button>
        )}
      </div>
      {mode === 'expression' ? (
        <CodeEditor language="javascript" ariaLabel={input.displayName} value={isExpression(value) ? value.$js : ''} scope={scope} readOnly={!editable}
          invalid={errors.length > 0} placeholder="e.g. variables.order.total > 100" onChange={(text) => onChange(text === '' ? undefined : { $js: text })} />
      ) : input.type === 'cases' ? (
        <CasesEditor value={value} onChange={onChange} editable={editable} scope={scope} />
      ) : (
        <LiteralEditor id={id} input={input} value={value} onChange={onChange} editable={editable} invalid={errors.length > 0} />
      )}
      {input.default !== undefined && input.default !== null && value === undefined && <div className="field-hint">Default: {JSON.stringify(input.default)}</div>}
      {input.description && <div className="field-hint">{input.description}</div>}
      {errors.map((e) => <div key={e} className="field-error" role="alert">{e}</div>)}
    </div>
  );
}

function LiteralEditor({ id, input, value, onChange, editable, invalid }: { id: string; input: InputDescriptor; value: unknown; onChange: (v: unknown) => void; editable: boolean; invalid: boolean }) {
  const className = invalid ? 'invalid' : undefined;
  if (input.options?.length) {
    return (
      <select id={id} className={className} disabled={!editable} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value || undefined)}>
        <option value="">{input.default !== undefined && input.default !== null ? `(default: ${String(input.default)})` : '(choose)'}</option>
        {input.options.map((o) => <option key={o} value={o}>{o}</option>)}
      </select>
    );
  }
  switch (input.type) {
    case 'number':
    case 'duration':
      return <input id={id} className={className} type="number" disabled={!editable} value={typeof value === 'number' ? value : ''}
        onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))} />;
    case 'boolean':
      return (
        <select id={id} className={className} disabled={!editable} value={value === true ? 'true' : value === false ? 'false' : ''}
          onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value === 'true')}>
          <option value="">(not set)</option><option value="true">true</option><option value="false">false</option>
        </select>
      );
    case 'string[]':
      return <textarea id={id} className={className} rows={3} disabled={!editable} placeholder="One per line" value={Array.isArray(value) ? value.join('\n') : ''}
        onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value.split('\n'))} />;
    case 'string':
      return <input id={id} className={className} type="text" disabled={!editable} value={typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value)}
        onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)} />;
    default:
      return <JsonEditor value={value} onChange={onChange} editable={editable} invalid={invalid} label={input.displayName}
        placeholder={input.type === 'cases' ? '[{"name": "Express", "condition": {"$js": "variables.order.express"}}]' : 'JSON value'} />;
  }
}

/** JSON typed freely; the value changes once the text parses. */
export function JsonEditor({ value, onChange, editable, invalid, label, placeholder }: { value: unknown; onChange: (v: unknown) => void; editable: boolean; invalid: boolean; label: string; placeholder?: string }) {
  const [text, setText] = useState(value === undefined ? '' : JSON.stringify(value, null, 2));
  const [parseError, setParseError] = useState<string | null>(null);
  return (
    <>
      <CodeEditor language="json" ariaLabel={label} value={text} readOnly={!editable} invalid={invalid || parseError !== null} minLines={2} placeholder={placeholder}
        onChange={(next) => {
          setText(next);
          if (next.trim() === '') { setParseError(null); onChange(undefined); return; }
          try { onChange(JSON.parse(next)); setParseError(null); } catch (e) { setParseError((e as Error).message); }
        }} />
      {parseError && <div className="field-error">Not JSON yet: {parseError}</div>}
    </>
  );
}
