import { applyEdgeChanges, applyNodeChanges, type EdgeChange, type NodeChange, type Node, type Edge } from '@xyflow/react';
import { useCallback, useRef, useState } from 'react';
import type { WorkflowDefinition } from '../api/types';
import { toDefinition, toGraph, type DefinitionMeta, type GraphEdge, type GraphNode, type Inputs } from '../model/definition';
import { arrangeForCanvas } from '../model/layout';
import { canRedo, canUndo, redo, startHistory, undo, type History } from '../model/history';

/** The designer's document: the canvas and the workflow settings, with undo/redo. */
export interface Snapshot {
  meta: DefinitionMeta;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

const COALESCE_MS = 800;

/** The document for a definition; a left-to-right file is arranged top to bottom (see `arrangeForCanvas`). */
export function snapshotOf(definition: WorkflowDefinition, outcomeOrder: (type: string, inputs: Inputs) => readonly string[] = () => []): Snapshot {
  const graph = toGraph(definition);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const order = (id: string) => {
    const node = byId.get(id);
    return node ? outcomeOrder(node.data.type, node.data.inputs) : [];
  };
  return { ...graph, nodes: arrangeForCanvas(graph.nodes, graph.edges, order) };
}

/**
 * Holds the document's history. `commit` records an undoable change (changes with the same coalesce key within a
 * moment, like typing in one field, become one step); selection, measuring and dragging in progress are not steps.
 */
export function useDesignerDocument(initial: Snapshot) {
  const [history, setHistory] = useState<History<Snapshot>>(() => startHistory(initial));
  const lastCommit = useRef<{ key: string | null; at: number }>({ key: null, at: 0 });
  const beforeDrag = useRef<Snapshot | null>(null);
  const [dirty, setDirty] = useState(false);

  const commit = useCallback((change: (s: Snapshot) => Snapshot, coalesceKey: string | null = null) => {
    setHistory((h) => {
      const next = change(h.present);
      if (next === h.present) return h;
      const now = Date.now();
      const coalesce = coalesceKey !== null && lastCommit.current.key === coalesceKey && now - lastCommit.current.at < COALESCE_MS;
      lastCommit.current = { key: coalesceKey, at: now };
      return coalesce ? { ...h, present: next } : { past: [...h.past, h.present].slice(-200), present: next, future: [] };
    });
    setDirty(true);
  }, []);

  const replace = useCallback((change: (s: Snapshot) => Snapshot) => setHistory((h) => ({ ...h, present: change(h.present) })), []);

  const onNodesChange = useCallback((changes: NodeChange[]) => {
    const structural = changes.some((c) => c.type === 'remove' || c.type === 'add');
    const dragEnded = changes.some((c) => c.type === 'position' && c.dragging === false);
    const dragging = changes.some((c) => c.type === 'position' && c.dragging);
    const apply = (s: Snapshot): Snapshot => {
      const nodes = applyNodeChanges(changes, s.nodes as Node[]) as GraphNode[];
      const removed = new Set(changes.flatMap((c) => (c.type === 'remove' ? [c.id] : [])));
      const edges = removed.size ? s.edges.filter((e) => !removed.has(e.source) && !removed.has(e.target)) : s.edges;
      return { ...s, nodes, edges };
    };
    if (structural) {
      commit(apply);
    } else if (dragging) {
      setHistory((h) => {
        beforeDrag.current ??= h.present;
        return { ...h, present: apply(h.present) };
      });
    } else if (dragEnded) {
      setHistory((h) => {
        const start = beforeDrag.current ?? h.present;
        beforeDrag.current = null;
        return { past: [...h.past, start].slice(-200), present: apply(h.present), future: [] };
      });
      lastCommit.current = { key: null, at: 0 };
      setDirty(true);
    } else {
      replace(apply);
    }
  }, [commit, replace]);

  const onEdgesChange = useCallback((changes: EdgeChange[]) => {
    const apply = (s: Snapshot): Snapshot => ({ ...s, edges: applyEdgeChanges(changes, s.edges as Edge[]) as GraphEdge[] });
    if (changes.some((c) => c.type === 'remove' || c.type === 'add')) commit(apply);
    else replace(apply);
  }, [commit, replace]);

  const load = useCallback((snapshot: Snapshot, markDirty: boolean) => {
    setHistory(startHistory(snapshot));
    setDirty(markDirty);
  }, []);

  return {
    present: history.present,
    definition: () => toDefinition(history.present.meta, history.present.nodes, history.present.edges),
    commit,
    replace,
    onNodesChange,
    onEdgesChange,
    load,
    undo: () => setHistory(undo),
    redo: () => setHistory(redo),
    canUndo: canUndo(history),
    canRedo: canRedo(history),
    dirty,
    markSaved: () => setDirty(false),
  };
}

export type DesignerDocument = ReturnType<typeof useDesignerDocument>;
