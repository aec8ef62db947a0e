import type { ActivityDescriptor, ActivityNode, Connection, WorkflowDefinition } from '../api/types';

/** Inputs as stored in a definition: JSON literals, or `{ "$js": "expression" }`. */
export type Inputs = Record<string, unknown>;

/** What a canvas node carries about its activity (everything but id and position). */
export interface ActivityData {
  type: string;
  name?: string | null;
  inputs: Inputs;
  retry?: ActivityNode['retry'];
  [key: string]: unknown;
}

/** The designer's graph: the canvas nodes and edges, in the shape React Flow uses. */
export interface GraphNode {
  id: string;
  type: 'activity';
  position: { x: number; y: number };
  data: ActivityData;
  selected?: boolean;
}

export interface GraphEdge {
  id: string;
  source: string;
  sourceHandle: string;
  target: string;
  targetHandle?: string | null;
  selected?: boolean;
}

/** Definition fields that are not on the canvas. */
export interface DefinitionMeta {
  id: string;
  name: string;
  description: string;
  variables: Record<string, unknown>;
}

export const TARGET_HANDLE = 'in';

export function edgeId(source: string, outcome: string, target: string): string {
  return `${source}:${outcome}->${target}`;
}

/** The outcomes an activity can follow; mirrors the engine's ActivityRegistry.OutcomesOf. */
export function outcomesOf(descriptor: ActivityDescriptor | undefined, inputs: Inputs): string[] {
  const fixed = descriptor?.outcomes ?? ['Done'];
  const source = descriptor?.outcomesFromInput;
  const items = source ? inputs[source] : undefined;
  if (!Array.isArray(items)) return [...fixed];
  const dynamic = items
    .map((item: unknown) => (typeof item === 'string' ? item : isRecord(item) && typeof item.name === 'string' ? item.name : null))
    .filter((name): name is string => name !== null && name !== '');
  return [...dynamic, ...fixed];
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function toGraph(definition: WorkflowDefinition): { meta: DefinitionMeta; nodes: GraphNode[]; edges: GraphEdge[] } {
  const nodes: GraphNode[] = (definition.activities ?? []).map((a) => ({
    id: a.id,
    type: 'activity',
    position: { x: Number(a.position?.x ?? 0), y: Number(a.position?.y ?? 0) },
    data: { type: a.type, name: a.name ?? null, inputs: { ...(a.inputs ?? {}) }, retry: a.retry ?? null },
  }));
  const edges: GraphEdge[] = (definition.connections ?? []).map((c) => connectionToEdge(c));
  return {
    meta: {
      id: definition.id,
      name: definition.name ?? '',
      description: definition.description ?? '',
      variables: { ...(definition.variables ?? {}) },
    },
    nodes,
    edges,
  };
}

export function connectionToEdge(c: Connection): GraphEdge {
  return { id: edgeId(c.source, c.outcome, c.target), source: c.source, sourceHandle: c.outcome, target: c.target, targetHandle: TARGET_HANDLE };
}

/** The definition the server stores; activities keep the canvas order so validation paths map back to nodes. */
export function toDefinition(meta: DefinitionMeta, nodes: readonly GraphNode[], edges: readonly GraphEdge[]): WorkflowDefinition {
  return {
    $schema: '../workflows/schema/workflow.schema.json',
    id: meta.id,
    name: meta.name,
    description: meta.description,
    variables: meta.variables,
    activities: nodes.map((n) => {
      const activity: ActivityNode = {
        id: n.id,
        type: n.data.type,
        inputs: withoutUndefined(n.data.inputs),
        position: { x: Math.round(n.position.x), y: Math.round(n.position.y) },
      };
      if (n.data.name) activity.name = n.data.name;
      if (n.data.retry) activity.retry = n.data.retry;
      return activity;
    }),
    connections: edges.map((e) => ({ source: e.source, outcome: e.sourceHandle, target: e.target })),
  };
}

function withoutUndefined(inputs: Inputs): Inputs {
  return Object.fromEntries(Object.entries(inputs).filter(([, v]) => v !== undefined));
}

/** A readable id, usable in expressions as `outputs.<id>`, not used yet: `if`, `if2`, `placeSupplierOrders`... */
export function newActivityId(type: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  const last = type.split('.').pop()!.replace(/[^\w$]/g, '');
  const base = last ? last[0]!.toLowerCase() + last.slice(1) : 'activity';
  if (!used.has(base)) return base;
  for (let i = 2; ; i++) {
    if (!used.has(`${base}${i}`)) return `${base}${i}`;
  }
}

/** The starting content of a new workflow: a Start activity. */
export function emptyDefinition(id: string, name: string): WorkflowDefinition {
  return { id, name, description: '', variables: {}, activities: [{ id: 'start', type: 'Start', inputs: {}, position: { x: 0, y: 0 } }], connections: [] };
}

export type ConnectionCheck = { ok: true } | { ok: false; reason: string };

/** Whether a connection may be drawn: refused while dragging when it is not. */
export function checkConnection(
  connection: { source: string | null; sourceHandle?: string | null; target: string | null },
  nodes: readonly GraphNode[],
  edges: readonly GraphEdge[],
  descriptors: ReadonlyMap<string, ActivityDescriptor>,
): ConnectionCheck {
  const { source, target, sourceHandle } = connection;
  if (!source || !target || !sourceHandle) return { ok: false, reason: 'Connect an outcome to an activity.' };
  if (source === target) return { ok: false, reason: 'An activity cannot follow itself.' };
  const sourceNode = nodes.find((n) => n.id === source);
  const targetNode = nodes.find((n) => n.id === target);
  if (!sourceNode || !targetNode) return { ok: false, reason: 'Unknown activity.' };
  if (!outcomesOf(descriptors.get(sourceNode.data.type), sourceNode.data.inputs).includes(sourceHandle)) {
    return { ok: false, reason: `'${source}' has no outcome '${sourceHandle}'.` };
  }
  if (descriptors.get(targetNode.data.type)?.isStart) return { ok: false, reason: 'Nothing can lead into Start.' };
  if (edges.some((e) => e.source === source && e.sourceHandle === sourceHandle)) {
    return { ok: false, reason: `Outcome '${sourceHandle}' of '${source}' is already connected; use a Fork to branch.` };
  }
  return { ok: true };
}

/** Removes edges whose outcome no longer exists (e.g. a Switch case was renamed). */
export function pruneDanglingEdges(nodes: readonly GraphNode[], edges: readonly GraphEdge[], descriptors: ReadonlyMap<string, ActivityDescriptor>): GraphEdge[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  return edges.filter((e) => {
    const s = byId.get(e.source);
    return s !== undefined && byId.has(e.target) && outcomesOf(descriptors.get(s.data.type), s.data.inputs).includes(e.sourceHandle);
  });
}
