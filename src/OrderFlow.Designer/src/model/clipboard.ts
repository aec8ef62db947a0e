import { edgeId, newActivityId, type GraphEdge, type GraphNode } from './definition';

/** What the designer copies: the selected activities and the connections between them. */
export interface ClipboardContent {
  kind: 'orderflow-activities';
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export function copySelection(nodes: readonly GraphNode[], edges: readonly GraphEdge[]): ClipboardContent | null {
  const picked = nodes.filter((n) => n.selected);
  if (picked.length === 0) return null;
  const ids = new Set(picked.map((n) => n.id));
  return {
    kind: 'orderflow-activities',
    nodes: picked.map((n) => structuredClone({ ...n, selected: false })),
    edges: edges.filter((e) => ids.has(e.source) && ids.has(e.target)).map((e) => ({ ...e, selected: false })),
  };
}

export function parseClipboard(text: string): ClipboardContent | null {
  try {
    const value = JSON.parse(text) as Partial<ClipboardContent>;
    return value.kind === 'orderflow-activities' && Array.isArray(value.nodes) && Array.isArray(value.edges) ? (value as ClipboardContent) : null;
  } catch {
    return null;
  }
}

/**
 * Pastes copied activities with fresh ids (never clashing with the canvas), shifted so they do not cover the originals,
 * selected so they can be moved at once. Start is not pasted twice: a workflow has one.
 */
export function paste(
  content: ClipboardContent,
  existing: readonly GraphNode[],
  isStart: (type: string) => boolean,
  offset = { x: 40, y: 40 },
): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const hasStart = existing.some((n) => isStart(n.data.type));
  const taken = new Set(existing.map((n) => n.id));
  const renamed = new Map<string, string>();
  const nodes: GraphNode[] = [];
  for (const node of content.nodes) {
    if (hasStart && isStart(node.data.type)) continue;
    const id = newActivityId(node.data.type, taken);
    taken.add(id);
    renamed.set(node.id, id);
    nodes.push({ ...structuredClone(node), id, position: { x: node.position.x + offset.x, y: node.position.y + offset.y }, selected: true });
  }
  const edges = content.edges.flatMap((e) => {
    const source = renamed.get(e.source);
    const target = renamed.get(e.target);
    return source && target ? [{ ...e, id: edgeId(source, e.sourceHandle, target), source, target, selected: false }] : [];
  });
  return { nodes, edges };
}
