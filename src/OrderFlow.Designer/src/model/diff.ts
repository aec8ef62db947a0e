import type { ActivityNode, WorkflowDefinition } from '../api/types';

export type ChangeKind = 'added' | 'removed' | 'changed' | 'unchanged';

export interface ActivityChange {
  id: string;
  kind: ChangeKind;
  type: string;
  /** For changed activities: which parts differ (type, name, inputs.x, retry, connections). Moving an activity is not a change. */
  fields: string[];
}

export interface DefinitionDiff {
  activities: ActivityChange[];
  addedConnections: string[];
  removedConnections: string[];
}

const connectionKey = (c: { source: string; outcome: string; target: string }) => `${c.source}:${c.outcome}->${c.target}`;

/** Compares two versions of a workflow: what was added, removed and changed, activity by activity. */
export function diffDefinitions(before: WorkflowDefinition, after: WorkflowDefinition): DefinitionDiff {
  const beforeById = new Map((before.activities ?? []).map((a) => [a.id, a]));
  const afterById = new Map((after.activities ?? []).map((a) => [a.id, a]));
  const beforeConnections = new Set((before.connections ?? []).map(connectionKey));
  const afterConnections = new Set((after.connections ?? []).map(connectionKey));
  const addedConnections = [...afterConnections].filter((c) => !beforeConnections.has(c));
  const removedConnections = [...beforeConnections].filter((c) => !afterConnections.has(c));
  const touched = new Set([...addedConnections, ...removedConnections].map((c) => c.split(':')[0]!));

  const activities: ActivityChange[] = [];
  for (const [id, a] of afterById) {
    const b = beforeById.get(id);
    if (!b) {
      activities.push({ id, kind: 'added', type: a.type, fields: [] });
      continue;
    }
    const fields = changedFields(b, a);
    if (touched.has(id)) fields.push('connections');
    activities.push({ id, kind: fields.length > 0 ? 'changed' : 'unchanged', type: a.type, fields });
  }
  for (const [id, b] of beforeById) {
    if (!afterById.has(id)) activities.push({ id, kind: 'removed', type: b.type, fields: [] });
  }
  return { activities, addedConnections, removedConnections };
}

function changedFields(before: ActivityNode, after: ActivityNode): string[] {
  const fields: string[] = [];
  if (before.type !== after.type) fields.push('type');
  if ((before.name ?? '') !== (after.name ?? '')) fields.push('name');
  const names = new Set([...Object.keys(before.inputs ?? {}), ...Object.keys(after.inputs ?? {})]);
  for (const name of [...names].sort()) {
    if (!jsonEqual(before.inputs?.[name], after.inputs?.[name])) fields.push(`inputs.${name}`);
  }
  if (!jsonEqual(before.retry ?? null, after.retry ?? null)) fields.push('retry');
  return fields;
}

/** Structural JSON equality, ignoring key order. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
  return [...keys].every((k) => jsonEqual(ao[k], bo[k]));
}

export function summarize(diff: DefinitionDiff): string {
  const count = (kind: ChangeKind) => diff.activities.filter((a) => a.kind === kind).length;
  return `${count('added')} added, ${count('removed')} removed, ${count('changed')} changed; ` +
    `${diff.addedConnections.length} connections added, ${diff.removedConnections.length} removed`;
}
