import { Background, Controls, MiniMap, ReactFlow, ReactFlowProvider, type Edge, type Node } from '@xyflow/react';
import { nodeTypes, type ActivityFlowNode } from '../designer/ActivityNodeView';
import { DesignerContext } from '../designer/DesignerContext';

/** A workflow drawn for looking at (instance path, version diff): nothing can be moved or connected. */
export function ReadOnlyCanvas({ nodes, edges, onNodeClick }: { nodes: ActivityFlowNode[]; edges: Edge[]; onNodeClick?: (id: string) => void }) {
  return (
    <DesignerContext.Provider value={{ editable: false, addAfter: () => {} }}>
      <ReactFlowProvider>
        <ReactFlow
          nodes={nodes as Node[]}
          edges={edges}
          nodeTypes={nodeTypes}
          nodesDraggable={false}
          nodesConnectable={false}
          elementsSelectable
          onNodeClick={(_, node) => onNodeClick?.(node.id)}
          fitView
          fitViewOptions={{ padding: 0.2, maxZoom: 1 }}
          minZoom={0.2}
          proOptions={{ hideAttribution: true }}
        >
          <Background gap={16} size={1} color="#d9dde3" />
          <Controls showInteractive={false} />
          <MiniMap pannable zoomable nodeStrokeWidth={2} />
        </ReactFlow>
      </ReactFlowProvider>
    </DesignerContext.Provider>
  );
}
