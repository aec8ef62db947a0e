import dagre from '@dagrejs/dagre';
import type { GraphEdge, GraphNode } from './definition';

export const DEFAULT_NODE_SIZE = { width: 220, height: 96 };

/** Top-to-bottom layered layout; returns new positions (top-left corners, as React Flow places nodes). */
export function autoLayout(
  nodes: readonly GraphNode[],
  edges: readonly GraphEdge[],
  sizeOf: (id: string) => { width: number; height: number } = () => DEFAULT_NODE_SIZE,
  outcomeOrder: (nodeId: string) => readonly string[] = () => [],
): GraphNode[] {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 50, ranksep: 70, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) g.setNode(n.id, { ...sizeOf(n.id) });
  for (const e of edges) {
    if (g.hasNode(e.source) && g.hasNode(e.target)) g.setEdge(e.source, e.target, {}, e.id);
  }
  dagre.layout(g);
  const laidOut = nodes.map((n) => {
    const placed = g.node(n.id) as { x: number; y: number; width: number; height: number } | undefined;
    if (!placed) return n;
    return { ...n, position: { x: Math.round(placed.x - placed.width / 2), y: Math.round(placed.y - placed.height / 2) } };
  });
  return orderSiblingsByOutcome(laidOut, edges, outcomeOrder);
}

/**
 * Dagre does not know that outcomes sit left to right on a node, so an If's True and False targets may cross.
 * Activities reached only from one node, on the same row, are put in the order of the outcomes that lead to them.
 */
function orderSiblingsByOutcome(nodes: GraphNode[], edges: readonly GraphEdge[], outcomeOrder: (nodeId: string) => readonly string[]): GraphNode[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const inbound = new Map<string, number>();
  for (const e of edges) inbound.set(e.target, (inbound.get(e.target) ?? 0) + 1);
  const sources = new Set(edges.map((e) => e.source));
  for (const source of sources) {
    const order = outcomeOrder(source);
    const outgoing = edges
      .filter((e) => e.source === source && inbound.get(e.target) === 1 && e.target !== source)
      .sort((a, b) => rankOf(order, a.sourceHandle) - rankOf(order, b.sourceHandle));
    const targets = outgoing.map((e) => byId.get(e.target)).filter((n): n is GraphNode => n !== undefined);
    const rows = new Map<number, GraphNode[]>();
    for (const t of targets) rows.set(t.position.y, [...(rows.get(t.position.y) ?? []), t]);
    for (const row of rows.values()) {
      const xs = row.map((n) => n.position.x).sort((a, b) => a - b);
      row.forEach((n, i) => byId.set(n.id, { ...n, position: { ...n.position, x: xs[i]! } }));
    }
  }
  return nodes.map((n) => byId.get(n.id)!);
}

function rankOf(order: readonly string[], outcome: string): number {
  const index = order.indexOf(outcome);
  return index < 0 ? order.length : index;
}

/**
 * Whether stored positions read top to bottom, as this designer draws (outcomes below, inputs on top). Definitions
 * laid out left to right elsewhere are arranged again when opened, or their connections would loop back upwards.
 */
export function readsTopToBottom(nodes: readonly GraphNode[], edges: readonly GraphEdge[]): boolean {
  const byId = new Map(nodes.map((n) => [n.id, n.position]));
  const measured = edges.flatMap((e) => {
    const from = byId.get(e.source);
    const to = byId.get(e.target);
    return from && to ? [to.y - from.y] : [];
  });
  if (measured.length === 0) return true;
  return measured.filter((dy) => dy > 20).length * 2 >= measured.length;
}

/** The canvas for a definition: its own positions when they read top to bottom, an automatic layout otherwise. */
export function arrangeForCanvas(nodes: readonly GraphNode[], edges: readonly GraphEdge[], outcomeOrder: (nodeId: string) => readonly string[]): GraphNode[] {
  return readsTopToBottom(nodes, edges) ? [...nodes] : autoLayout(nodes, edges, undefined, outcomeOrder);
}

/** What a canvas first zooms to: a small workflow whole, a large one from its top, where it starts, at a readable size. */
export function initialFitNodes(nodes: readonly GraphNode[], whole = 8, top = 6): string[] {
  if (nodes.length <= whole) return nodes.map((n) => n.id);
  return [...nodes].sort((a, b) => a.position.y - b.position.y || a.position.x - b.position.x).slice(0, top).map((n) => n.id);
}
