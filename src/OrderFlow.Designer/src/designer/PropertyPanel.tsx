import type { ActivityDescriptor } from '../api/types';
import type { ActivityData, DefinitionMeta, GraphNode } from '../model/definition';
import type { ScopeEntry } from '../model/scope';
import { InputField, JsonEditor } from './InputField';
import { RetryFields } from './RetryFields';

interface Props {
  node: GraphNode | null;
  selectionCount: number;
  descriptor: ActivityDescriptor | undefined;
  errors: { field: string; message: string }[];
  generalErrors: string[];
  meta: DefinitionMeta;
  editable: boolean;
  scope: readonly ScopeEntry[];
  onChange: (id: string, patch: Partial<ActivityData>, field: string) => void;
  onMetaChange: (patch: Partial<DefinitionMeta>, field: string) => void;
}

/** The selected activity's inputs, generated from its descriptor; with nothing selected, the workflow's settings. */
export function PropertyPanel({ node, selectionCount, descriptor, errors, generalErrors, meta, editable, scope, onChange, onMetaChange }: Props) {
  if (!node) {
    return (
      <aside className="properties" aria-label="Properties">
        <h2>Workflow</h2>
        {selectionCount > 1 && <p className="muted">{selectionCount} activities selected.</p>}
        <div className="field">
          <div className="field-label"><label htmlFor="wf-name">Name</label></div>
          <input id="wf-name" type="text" value={meta.name} disabled={!editable} onChange={(e) => onMetaChange({ name: e.target.value }, 'name')} />
        </div>
        <div className="field">
          <div className="field-label"><label htmlFor="wf-description">Description</label></div>
          <textarea id="wf-description" rows={3} value={meta.description} disabled={!editable} onChange={(e) => onMetaChange({ description: e.target.value }, 'description')} />
        </div>
        <div className="field">
          <div className="field-label"><span>Variables</span><span className="field-type">json</span></div>
          <JsonEditor key={meta.id} label="Variables" value={meta.variables} editable={editable} invalid={false}
            onChange={(v) => onMetaChange({ variables: (v && typeof v === 'object' && !Array.isArray(v) ? v : {}) as Record<string, unknown> }, 'variables')} />
          <div className="field-hint">Initial instance variables; expressions read them as <code>variables.name</code>.</div>
        </div>
        {generalErrors.length > 0 && (
          <div className="problems" role="alert">
            <h3>Problems</h3>
            <ul>{generalErrors.map((e) => <li key={e}>{e}</li>)}</ul>
          </div>
        )}
      </aside>
    );
  }

  const errorsFor = (field: string) => errors.filter((e) => e.field === field).map((e) => e.message);
  const other = errors.filter((e) => !e.field.startsWith('inputs.') || !descriptor?.inputs?.some((i) => `inputs.${i.name}` === e.field));
  return (
    <aside className="properties" aria-label="Properties">
      <h2>{descriptor?.displayName ?? node.data.type}</h2>
      {descriptor?.description && <p className="muted">{descriptor.description}</p>}
      <div className="field">
        <div className="field-label"><span>Id</span></div>
        <code className="readonly-value">{node.id}</code>
      </div>
      <div className="field">
        <div className="field-label"><label htmlFor="activity-name">Display name</label></div>
        <input id="activity-name" type="text" value={node.data.name ?? ''} disabled={!editable} placeholder={descriptor?.displayName}
          onChange={(e) => onChange(node.id, { name: e.target.value || null }, 'name')} />
      </div>
      {(descriptor?.inputs ?? []).map((input) => (
        <InputField
          key={`${node.id}/${input.name}`}
          input={input}
          value={node.data.inputs[input.name]}
          errors={errorsFor(`inputs.${input.name}`)}
          editable={editable}
          scope={scope}
          onChange={(value) => onChange(node.id, { inputs: { ...node.data.inputs, [input.name]: value } }, `inputs.${input.name}`)}
        />
      ))}
      {!descriptor?.isStart && (descriptor?.outcomes?.length ?? 0) + (descriptor?.outcomesFromInput ? 1 : 0) > 0 && (
        <RetryFields key={node.id} retry={node.data.retry} fallback={descriptor?.defaultRetry}
          editable={editable} onChange={(retry) => onChange(node.id, { retry }, 'retry')} />
      )}
      {(descriptor?.outputs?.length ?? 0) > 0 && (
        <div className="outputs">
          <h3>Outputs</h3>
          <ul>{descriptor!.outputs!.map((o) => <li key={o.name}><code>outputs.{node.id}.{o.name}</code> <span className="muted">{o.type}</span></li>)}</ul>
        </div>
      )}
      {other.length > 0 && (
        <div className="problems" role="alert">
          <h3>Problems</h3>
          <ul>{other.map((e) => <li key={e.field + e.message}>{e.message}</li>)}</ul>
        </div>
      )}
    </aside>
  );
}
