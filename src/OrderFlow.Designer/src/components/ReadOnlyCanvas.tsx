import { Background, Controls, MiniMap, ReactFlow, ReactFlowProvider, type Edge, type Node, type NodeChange } from '@xyflow/react';
import { useCallback, useMemo, useState } from 'react';
import { nodeTypes, type ActivityFlowNode } from '../designer/ActivityNodeView';
import { initialFitNodes } from '../model/layout';
import { DesignerContext } from '../designer/DesignerContext';

const MINIMAP_COLORS: Record<string, string> = {
  completed: '#1a8f4e', waiting: '#7c5cc4', faulted: '#cf3c35', retrying: '#b7791f', skipped: '#9aa4b2',
  added: '#1a8f4e', removed: '#cf3c35', changed: '#b7791f',
};

function minimapColor(node: Node): string {
  const view = (node.data as ActivityFlowNode['data']).view;
  return MINIMAP_COLORS[view.status ?? view.change ?? ''] ?? '#c5cbd4';
}

/** A workflow drawn for looking at (instance path, version diff): nothing can be moved or connected. */
export function ReadOnlyCanvas({ nodes, edges, onNodeClick, focus = [] }: { nodes: ActivityFlowNode[]; edges: Edge[]; onNodeClick?: (id: string) => void; focus?: string[] }) {
  // The nodes are rebuilt from server data on every refresh; keep their measured sizes so the minimap can draw them.
  const [measured, setMeasured] = useState<Record<string, { width: number; height: number }>>({});
  const onNodesChange = useCallback((changes: NodeChange[]) => {
    const sized = changes.flatMap((c) => (c.type === 'dimensions' && c.dimensions ? [[c.id, c.dimensions] as const] : []));
    if (sized.length) setMeasured((m) => ({ ...m, ...Object.fromEntries(sized) }));
  }, []);
  const withSizes = useMemo(() => nodes.map((n) => (measured[n.id] ? { ...n, measured: measured[n.id] } : n)), [nodes, measured]);
  return (
    <DesignerContext.Provider value={{ editable: false, addAfter: () => {} }}>
      <ReactFlowProvider>
        <ReactFlow
          nodes={withSizes as Node[]}
          edges={edges}
          onNodesChange={onNodesChange}
          nodeTypes={nodeTypes}
          nodesDraggable={false}
          nodesConnectable={false}
          elementsSelectable
          onNodeClick={(_, node) => onNodeClick?.(node.id)}
          fitView
          fitViewOptions={{ nodes: (focus.length ? focus : initialFitNodes(nodes)).map((id) => ({ id })), padding: focus.length ? 1.2 : 0.2, maxZoom: 1 }}
          minZoom={0.2}
          proOptions={{ hideAttribution: true }}
        >
          <Background gap={16} size={1} color="#d9dde3" />
          <Controls showInteractive={false} />
          <MiniMap pannable zoomable nodeStrokeWidth={2} style={{ width: 150, height: 96 }} nodeColor={minimapColor} />
        </ReactFlow>
      </ReactFlowProvider>
    </DesignerContext.Provider>
  );
}
