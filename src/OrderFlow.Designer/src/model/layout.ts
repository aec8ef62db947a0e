import dagre from '@dagrejs/dagre';
import type { GraphEdge, GraphNode } from './definition';

export const DEFAULT_NODE_SIZE = { width: 220, height: 96 };

/** Top-to-bottom layered layout; returns new positions (top-left corners, as React Flow places nodes). */
export function autoLayout(
  nodes: readonly GraphNode[],
  edges: readonly GraphEdge[],
  sizeOf: (id: string) => { width: number; height: number } = () => DEFAULT_NODE_SIZE,
): GraphNode[] {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 50, ranksep: 70, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) g.setNode(n.id, { ...sizeOf(n.id) });
  for (const e of edges) {
    if (g.hasNode(e.source) && g.hasNode(e.target)) g.setEdge(e.source, e.target, {}, e.id);
  }
  dagre.layout(g);
  return nodes.map((n) => {
    const placed = g.node(n.id) as { x: number; y: number; width: number; height: number } | undefined;
    if (!placed) return n;
    return { ...n, position: { x: Math.round(placed.x - placed.width / 2), y: Math.round(placed.y - placed.height / 2) } };
  });
}
