import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { ActivityDescriptor } from '../api/types';
import type { ActivityData } from '../model/definition';
import type { ChangeKind } from '../model/diff';
import type { ActivityStatus } from '../model/journal';
import { categoryColor } from '../model/palette';
import { useDesignerContext } from './DesignerContext';
import { TARGET_HANDLE } from '../model/definition';

/** Presentation extras the page adds to a node's data before drawing it. */
export interface NodeView {
  descriptor?: ActivityDescriptor;
  outcomes: string[];
  connected: string[];
  errors: string[];
  status?: ActivityStatus;
  change?: ChangeKind;
}

export type ActivityFlowNode = Node<ActivityData & { view: NodeView }, 'activity'>;

function summary(data: ActivityData, descriptor: ActivityDescriptor | undefined): string {
  const first = descriptor?.inputs?.find((i) => data.inputs[i.name] !== undefined);
  if (!first) return '';
  const value = data.inputs[first.name];
  const text = typeof value === 'object' && value !== null && '$js' in value ? String((value as { $js: unknown }).$js)
    : typeof value === 'string' ? value
    : Array.isArray(value) ? value.map((v: unknown) => (typeof v === 'object' && v !== null && 'name' in v ? String((v as { name: unknown }).name) : String(v))).join(', ')
    : JSON.stringify(value);
  return `${first.displayName}: ${text}`;
}

const STATUS_LABEL: Record<ActivityStatus, string> = {
  completed: 'Completed', waiting: 'Waiting', faulted: 'Faulted', retrying: 'Retrying', skipped: 'Skipped',
};

function ActivityNodeViewImpl({ id, data, selected }: NodeProps<ActivityFlowNode>) {
  const { editable, addAfter } = useDesignerContext();
  const { descriptor, outcomes, connected, errors, status, change } = data.view;
  const classes = ['activity-node', selected && 'selected', errors.length > 0 && 'has-errors', status && `status-${status}`, change && `change-${change}`]
    .filter(Boolean).join(' ');
  const text = summary(data, descriptor);
  return (
    <div className={classes} data-testid={`node-${id}`} data-status={status ?? ''} data-change={change ?? ''} style={{ ['--cat' as string]: categoryColor(descriptor?.category) }}>
      {!descriptor?.isStart && <Handle type="target" position={Position.Top} id={TARGET_HANDLE} className="in-handle" />}
      <div className="node-head">
        <span className="node-category">{descriptor?.category ?? 'Unknown'}</span>
        {status && <span className={`node-status status-${status}`}>{STATUS_LABEL[status]}</span>}
        {change && change !== 'unchanged' && <span className={`node-change change-${change}`}>{change}</span>}
        {errors.length > 0 && <span className="node-errors" title={errors.join('\n')}>{errors.length} {errors.length === 1 ? 'problem' : 'problems'}</span>}
      </div>
      <div className="node-title">{data.name || descriptor?.displayName || data.type}</div>
      <div className="node-id">{id}</div>
      {text && <div className="node-summary" title={text}>{text}</div>}
      {outcomes.length > 0 && (
        <div className="node-outcomes">
          {outcomes.map((outcome) => (
            <div key={outcome} className={`outcome${connected.includes(outcome) ? ' connected' : ''}`}>
              <span className="outcome-label">{outcome}</span>
              {editable && !connected.includes(outcome) && (
                <button type="button" className="add-after nodrag" aria-label={`Add after ${id} ${outcome}`} title="Add the next activity"
                  onClick={(e) => { e.stopPropagation(); addAfter(id, outcome); }}>+</button>
              )}
              <Handle type="source" position={Position.Bottom} id={outcome} className="outcome-handle" />
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

export const ActivityNodeView = memo(ActivityNodeViewImpl);
export const nodeTypes = { activity: ActivityNodeView };
