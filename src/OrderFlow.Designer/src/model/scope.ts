import type { ActivityDescriptor } from '../api/types';
import { isRecord, type DefinitionMeta, type GraphNode } from './definition';

/** Something an expression can read, offered as a completion. */
export interface ScopeEntry {
  label: string;
  detail: string;
}

const MAX_DEPTH = 4;

/**
 * What intake starts every order workflow with (`{"orderId": "…"}`), offered even when the definition does not declare
 * it. Everything else about an order reaches expressions through activity outputs.
 */
export const ORDER_FIELDS: readonly ScopeEntry[] = [
  { label: 'variables.orderId', detail: 'string: the order this instance fulfils (set by intake)' },
];

/**
 * What an expression in activity `currentId` can read: `variables` (the definition's, those Set variable activities
 * write, and the order fields inside them), `outputs.{activity}.{output}` of the other activities, and `input`.
 */
export function expressionScope(
  meta: DefinitionMeta,
  nodes: readonly GraphNode[],
  descriptors: ReadonlyMap<string, ActivityDescriptor>,
  currentId: string | null,
  orderFields: readonly ScopeEntry[] = ORDER_FIELDS,
): ScopeEntry[] {
  const entries: ScopeEntry[] = [
    { label: 'variables', detail: 'instance variables' },
    { label: 'outputs', detail: 'outputs of earlier activities' },
    { label: 'input', detail: 'payload this activity was resumed with' },
  ];
  walk(meta.variables, 'variables', 0, entries);
  entries.push(...orderFields);
  for (const node of nodes) {
    if (node.data.type === 'SetVariable' && typeof node.data.inputs.name === 'string' && node.data.inputs.name) {
      entries.push({ label: `variables.${node.data.inputs.name}`, detail: `set by ${node.id}` });
    }
    if (node.id === currentId) continue;
    for (const output of descriptors.get(node.data.type)?.outputs ?? []) {
      entries.push({ label: `${accessor('outputs', node.id)}.${output.name}`, detail: `${output.type} from ${node.id}` });
    }
  }
  return dedupe(entries);
}

function walk(value: unknown, path: string, depth: number, into: ScopeEntry[]): void {
  if (depth >= MAX_DEPTH) return;
  if (Array.isArray(value)) {
    if (value.length > 0) walk(value[0], `${path}[0]`, depth + 1, into);
    return;
  }
  if (!isRecord(value)) return;
  for (const [key, child] of Object.entries(value)) {
    const childPath = `${path}.${key}`;
    into.push({ label: childPath, detail: describe(child) });
    walk(child, childPath, depth + 1, into);
  }
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'list';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'object' : `${typeof value} = ${JSON.stringify(value)}`.slice(0, 40);
}

function accessor(object: string, id: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(id) ? `${object}.${id}` : `${object}[${JSON.stringify(id)}]`;
}

function dedupe(entries: ScopeEntry[]): ScopeEntry[] {
  const seen = new Set<string>();
  return entries.filter((e) => (seen.has(e.label) ? false : (seen.add(e.label), true)));
}

/** Completions for the path being typed, one member at a time (`variables.or` → `variables.order`, not `variables.order.id`). */
export function complete(scope: readonly ScopeEntry[], typed: string): ScopeEntry[] {
  return scope.filter((e) => e.label.startsWith(typed) && e.label !== typed && !/[.[]/.test(e.label.slice(typed.length).replace(/^[.[]/, '')));
}
