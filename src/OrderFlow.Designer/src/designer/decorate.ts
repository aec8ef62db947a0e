import type { Edge } from '@xyflow/react';
import type { ActivityDescriptor } from '../api/types';
import { outcomesOf, type GraphEdge, type GraphNode } from '../model/definition';
import type { ChangeKind } from '../model/diff';
import type { ActivityStatus } from '../model/journal';
import type { ActivityFlowNode } from './ActivityNodeView';

export interface Decorations {
  errors?: ReadonlyMap<string, { message: string }[]>;
  statuses?: ReadonlyMap<string, ActivityStatus>;
  changes?: ReadonlyMap<string, ChangeKind>;
}

/** Adds what the node view draws (descriptor, outcomes, problems, run status, diff mark) to the canvas nodes. */
export function decorateNodes(nodes: readonly GraphNode[], edges: readonly GraphEdge[], descriptors: ReadonlyMap<string, ActivityDescriptor>, d: Decorations = {}): ActivityFlowNode[] {
  return nodes.map((n) => {
    const descriptor = descriptors.get(n.data.type);
    return {
      ...n,
      data: {
        ...n.data,
        view: {
          descriptor,
          outcomes: outcomesOf(descriptor, n.data.inputs),
          connected: edges.filter((e) => e.source === n.id).map((e) => e.sourceHandle),
          errors: (d.errors?.get(n.id) ?? []).map((e) => e.message),
          status: d.statuses?.get(n.id),
          change: d.changes?.get(n.id),
        },
      },
    } as ActivityFlowNode;
  });
}

/** Edges drawn with their outcome; followed ones (instance view) and added/removed ones (diff) get a class. */
export function decorateEdges(edges: readonly GraphEdge[], classes: ReadonlyMap<string, string> = new Map(), errored: ReadonlySet<string> = new Set()): Edge[] {
  return edges.map((e) => ({
    ...e,
    type: 'smoothstep',
    className: [classes.get(e.id), errored.has(e.id) && 'edge-error'].filter(Boolean).join(' ') || undefined,
    animated: classes.get(e.id) === 'followed-live',
    ariaLabel: `${e.source} ${e.sourceHandle} to ${e.target}`,
  }));
}
