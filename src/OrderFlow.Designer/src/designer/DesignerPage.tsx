import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Background, Controls, MiniMap, ReactFlow, ReactFlowProvider, useReactFlow, type Connection as FlowConnection, type Node, type Edge } from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { useParams } from 'react-router';
import { api, ApiError, unwrap } from '../api/client';
import { fetchEditable, fetchVersion, keys, useDescriptors } from '../api/queries';
import type { ActivityDescriptor, WorkflowDefinition } from '../api/types';
import { useSession } from '../components/Session';
import { checkConnection, edgeId, emptyDefinition, newActivityId, outcomesOf, pruneDanglingEdges, TARGET_HANDLE, type ActivityData, type GraphNode } from '../model/definition';
import { autoLayout, initialFitNodes } from '../model/layout';
import { expressionScope } from '../model/scope';
import { fromProblemErrors } from '../model/validation';
import { nodeTypes } from './ActivityNodeView';
import { decorateEdges, decorateNodes } from './decorate';
import { DesignerContext } from './DesignerContext';
import { DND_TYPE, Palette } from './Palette';
import { PropertyPanel } from './PropertyPanel';
import { QuickAdd } from './QuickAdd';
import { RunDialog } from './RunDialog';
import { snapshotOf, useDesignerDocument } from './useDesignerDocument';
import { useDesignerShortcuts } from './useDesignerShortcuts';
import { useServerValidation } from './useServerValidation';
import { VersionsPanel } from './VersionsPanel';
import { DesignerToolbar } from './DesignerToolbar';

export function DesignerPage() {
  const { id = '' } = useParams();
  const descriptors = useDescriptors();
  const editable = useQuery({ queryKey: [...keys.draft(id), 'editable'], queryFn: () => fetchEditable(id), staleTime: Infinity, refetchOnWindowFocus: false });
  if (descriptors.error || editable.error) return <div className="page-error" role="alert">Could not load the workflow: {String(descriptors.error ?? editable.error)}</div>;
  if (!descriptors.data || editable.isPending) return <div className="loading">Loading {id}…</div>;
  const initial = editable.data?.definition ?? emptyDefinition(id, id);
  return (
    <ReactFlowProvider>
      <Designer key={id} workflowId={id} initial={initial} source={editable.data?.source ?? 'new'} descriptors={descriptors.data} />
    </ReactFlowProvider>
  );
}

type Notice = { kind: 'info' | 'error' | 'success'; text: string } | null;

function Designer({ workflowId, initial, source, descriptors }: { workflowId: string; initial: WorkflowDefinition; source: string; descriptors: ReadonlyMap<string, ActivityDescriptor> }) {
  const { canEdit } = useSession();
  const outcomeOrder = useCallback((type: string, inputs: Record<string, unknown>) => outcomesOf(descriptors.get(type), inputs), [descriptors]);
  const doc = useDesignerDocument(snapshotOf(initial, outcomeOrder));
  const { nodes, edges, meta } = doc.present;
  const flow = useReactFlow();
  const wrapper = useRef<HTMLDivElement>(null);
  const refusal = useRef<string | null>(null);
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState<Notice>(source === 'draft' ? { kind: 'info', text: 'Editing the saved draft.' } : null);
  const [quickAdd, setQuickAdd] = useState<{ nodeId: string; outcome: string } | null>(null);
  const [showVersions, setShowVersions] = useState(false);
  const [running, setRunning] = useState(false);

  // Only the first drawing uses this; later fits come from the toolbar and shortcuts.
  const [initialFit] = useState(() => ({ nodes: initialFitNodes(doc.present.nodes).map((id) => ({ id })), padding: 0.2, maxZoom: 1 }));
  const definition = useMemo(() => doc.definition(), [doc.present]); // eslint-disable-line react-hooks/exhaustive-deps
  const validation = useServerValidation(definition);
  const selected = nodes.filter((n) => n.selected);
  const single = selected.length === 1 ? selected[0]! : null;
  const isStart = useCallback((type: string) => descriptors.get(type)?.isStart === true, [descriptors]);

  const flowNodes = useMemo(() => decorateNodes(nodes, edges, descriptors, { errors: validation.located.byActivity }), [nodes, edges, descriptors, validation.located]);
  const erroredEdges = useMemo(() => new Set([...validation.located.byConnection.keys()].map((i) => edges[i]?.id).filter((x): x is string => !!x)), [validation.located, edges]);
  const flowEdges = useMemo(() => decorateEdges(edges, new Map(), erroredEdges), [edges, erroredEdges]);
  const scope = useMemo(() => expressionScope(meta, nodes, descriptors, single?.id ?? null), [meta, nodes, descriptors, single?.id]);

  const viewportCenter = () => {
    const rect = wrapper.current!.getBoundingClientRect();
    return flow.screenToFlowPosition({ x: rect.left + rect.width / 2 - 110, y: rect.top + rect.height / 2 - 48 });
  };

  /** Adds an activity: where it was dropped, after an outcome, or after the one selected activity's first free outcome. */
  const addActivity = useCallback((type: string, at?: { x: number; y: number }, after?: { nodeId: string; outcome: string }) => {
    doc.commit((s) => {
      const id = newActivityId(type, s.nodes.map((n) => n.id));
      let from = after;
      if (!from && !at) {
        const only = s.nodes.filter((n) => n.selected);
        if (only.length === 1) {
          const [node] = only;
          const free = decorateNodes([node!], s.edges, descriptors)[0]!.data.view.outcomes.find((o) => !s.edges.some((e) => e.source === node!.id && e.sourceHandle === o));
          if (free) from = { nodeId: node!.id, outcome: free };
        }
      }
      const source = from ? s.nodes.find((n) => n.id === from!.nodeId) : undefined;
      const siblings = from ? s.edges.filter((e) => e.source === from!.nodeId).length : 0;
      const position = at ?? (source ? { x: source.position.x + siblings * 250, y: source.position.y + 170 } : viewportCenter());
      const node: GraphNode = { id, type: 'activity', position, data: { type, name: null, inputs: {} }, selected: true };
      const edge = from && source ? [{ id: edgeId(from.nodeId, from.outcome, id), source: from.nodeId, sourceHandle: from.outcome, target: id, targetHandle: TARGET_HANDLE }] : [];
      return { ...s, nodes: [...s.nodes.map((n) => ({ ...n, selected: false })), node], edges: [...s.edges, ...edge] };
    });
    setQuickAdd(null);
  }, [doc, descriptors]); // eslint-disable-line react-hooks/exhaustive-deps

  const onConnect = useCallback((c: FlowConnection) => {
    const check = checkConnection(c, nodes, edges, descriptors);
    if (!check.ok) { setNotice({ kind: 'error', text: check.reason }); return; }
    doc.commit((s) => ({ ...s, edges: [...s.edges, { id: edgeId(c.source, c.sourceHandle!, c.target), source: c.source, sourceHandle: c.sourceHandle!, target: c.target, targetHandle: TARGET_HANDLE }] }));
  }, [nodes, edges, descriptors, doc]);

  const isValidConnection = useCallback((c: FlowConnection | Edge) => {
    const check = checkConnection({ source: c.source, sourceHandle: c.sourceHandle ?? null, target: c.target }, nodes, edges, descriptors);
    refusal.current = check.ok ? null : check.reason;
    return check.ok;
  }, [nodes, edges, descriptors]);

  const updateActivity = useCallback((id: string, patch: Partial<ActivityData>, field: string) => {
    doc.commit((s) => {
      const updated = s.nodes.map((n) => (n.id === id ? { ...n, data: { ...n.data, ...patch } } : n));
      return { ...s, nodes: updated, edges: pruneDanglingEdges(updated, s.edges, descriptors) };
    }, `${id}/${field}`);
  }, [doc, descriptors]);

  const layout = useCallback(() => {
    doc.commit((s) => ({ ...s, nodes: autoLayout(s.nodes, s.edges, (id) => {
      const n = flow.getNode(id);
      return { width: n?.measured?.width ?? 220, height: n?.measured?.height ?? 96 };
    }, (id) => {
      const node = s.nodes.find((x) => x.id === id);
      return node ? outcomesOf(descriptors.get(node.data.type), node.data.inputs) : [];
    }) }));
    requestAnimationFrame(() => flow.fitView({ padding: 0.15, maxZoom: 1, duration: 200 }));
  }, [doc, flow, descriptors]);

  const save = useCallback(async () => {
    try {
      const result = unwrap(await api.PUT('/api/workflow-definitions/{id}/draft', { params: { path: { id: workflowId } }, body: doc.definition() }));
      doc.markSaved();
      setNotice({ kind: 'success', text: result.errors.length ? `Draft saved with ${result.errors.length} problem(s) to fix before publishing.` : 'Draft saved.' });
    } catch (e) {
      setNotice({ kind: 'error', text: `Not saved: ${(e as Error).message}` });
    }
  }, [doc, workflowId]);

  const publish = useCallback(async () => {
    try {
      const result = unwrap(await api.POST('/api/workflow-definitions/{id}/publish', { params: { path: { id: workflowId } }, body: doc.definition() }));
      doc.markSaved();
      await queryClient.invalidateQueries({ queryKey: keys.versions(workflowId) });
      await queryClient.invalidateQueries({ queryKey: keys.definitions });
      setNotice({ kind: 'success', text: result.created ? `Published version ${result.version}.` : `Unchanged: version ${result.version} already holds this.` });
    } catch (e) {
      const problems = e instanceof ApiError ? fromProblemErrors(e.problem?.errors) : [];
      setNotice({ kind: 'error', text: problems.length ? `Not published: ${problems.length} problem(s), shown on the activities.` : `Not published: ${(e as Error).message}` });
    }
  }, [doc, workflowId, queryClient]);

  const exportJson = () => {
    const blob = new Blob([JSON.stringify(doc.definition(), null, 2) + '\n'], { type: 'application/json' });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = `${workflowId}.json`;
    link.click();
    URL.revokeObjectURL(link.href);
  };

  const importJson = async (file: File) => {
    try {
      const imported = JSON.parse(await file.text()) as WorkflowDefinition;
      if (!Array.isArray(imported.activities)) throw new Error('no "activities" list');
      doc.commit(() => snapshotOf({ ...imported, id: workflowId }, outcomeOrder));
      setNotice({ kind: 'info', text: imported.id !== workflowId ? `Imported ${file.name} (its id '${imported.id}' was replaced by '${workflowId}').` : `Imported ${file.name}.` });
      requestAnimationFrame(() => flow.fitView({ padding: 0.15, maxZoom: 1 }));
    } catch (e) {
      setNotice({ kind: 'error', text: `Not a workflow file: ${(e as Error).message}` });
    }
  };

  const openVersion = async (version: number) => {
    const def = await fetchVersion(workflowId, version);
    doc.commit(() => snapshotOf(def, outcomeOrder));
    setNotice({ kind: 'info', text: `Opened version ${version}; publishing creates a new version.` });
    requestAnimationFrame(() => flow.fitView({ padding: 0.15, maxZoom: 1 }));
  };

  // Leaving with unsaved edits asks first (closing the tab or reloading).
  useEffect(() => {
    if (!doc.dirty || !canEdit) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [doc.dirty, canEdit]);

  useDesignerShortcuts({ doc, canEdit, isStart, onSave: save, onLayout: layout, onFit: () => void flow.fitView({ padding: 0.15, maxZoom: 1, duration: 200 }) });

  useEffect(() => {
    if (!notice || notice.kind === 'error') return;
    const timer = setTimeout(() => setNotice(null), 5000);
    return () => clearTimeout(timer);
  }, [notice]);

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    const type = e.dataTransfer.getData(DND_TYPE);
    if (type && canEdit) addActivity(type, flow.screenToFlowPosition({ x: e.clientX - 110, y: e.clientY - 30 }));
  };

  const hasStart = nodes.some((n) => isStart(n.data.type));
  return (
    <DesignerContext.Provider value={{ editable: canEdit, addAfter: (nodeId, outcome) => setQuickAdd({ nodeId, outcome }) }}>
      <div className="designer">
        <DesignerToolbar
          title={meta.name || workflowId}
          workflowId={workflowId}
          canEdit={canEdit}
          dirty={doc.dirty}
          problems={validation.count}
          validating={validation.pending}
          canUndo={doc.canUndo}
          canRedo={doc.canRedo}
          onUndo={doc.undo}
          onRedo={doc.redo}
          onLayout={layout}
          onFit={() => void flow.fitView({ padding: 0.15, maxZoom: 1, duration: 200 })}
          onSave={save}
          onPublish={publish}
          onVersions={() => setShowVersions((v) => !v)}
          onExport={exportJson}
          onImport={importJson}
          onRun={() => setRunning(true)}
        />
        {notice && <div className={`notice notice-${notice.kind}`} role="status" onClick={() => setNotice(null)}>{notice.text}</div>}
        <div className="designer-body">
          {canEdit && <Palette descriptors={descriptors} hasStart={hasStart} onAdd={(type) => addActivity(type)} />}
          <div className="canvas" ref={wrapper} onDragOver={(e) => { e.preventDefault(); e.dataTransfer.dropEffect = 'move'; }} onDrop={onDrop}>
            <ReactFlow
              nodes={flowNodes as Node[]}
              edges={flowEdges}
              nodeTypes={nodeTypes}
              onNodesChange={doc.onNodesChange}
              onEdgesChange={doc.onEdgesChange}
              onConnect={onConnect}
              onConnectEnd={() => { if (refusal.current) setNotice({ kind: 'error', text: refusal.current }); refusal.current = null; }}
              isValidConnection={isValidConnection}
              nodesDraggable={canEdit}
              nodesConnectable={canEdit}
              deleteKeyCode={canEdit ? ['Delete', 'Backspace'] : null}
              multiSelectionKeyCode={['Control', 'Meta', 'Shift']}
              selectionKeyCode="Shift"
              fitView
              fitViewOptions={initialFit}
              minZoom={0.2}
              proOptions={{ hideAttribution: true }}
              defaultEdgeOptions={{ type: 'smoothstep' }}
            >
              <Background gap={16} size={1} color="#d9dde3" />
              <Controls showInteractive={false} />
              <MiniMap pannable zoomable nodeStrokeWidth={2} style={{ width: 150, height: 96 }} nodeColor={(n) => ((n.data as { view?: { errors: string[] } }).view?.errors.length ? '#e5484d' : '#9aa4b2')} />
            </ReactFlow>
            {quickAdd && (
              <QuickAdd title={`Add after ${quickAdd.nodeId} → ${quickAdd.outcome}`} descriptors={descriptors} onClose={() => setQuickAdd(null)}
                onPick={(type) => addActivity(type, undefined, quickAdd)} />
            )}
          </div>
          {showVersions ? (
            <VersionsPanel workflowId={workflowId} onOpen={openVersion} onClose={() => setShowVersions(false)} />
          ) : (
            <PropertyPanel
              node={single}
              selectionCount={selected.length}
              descriptor={single ? descriptors.get(single.data.type) : undefined}
              errors={single ? validation.located.byActivity.get(single.id) ?? [] : []}
              generalErrors={[...validation.located.general, ...[...validation.located.byConnection.values()].flat()]}
              meta={meta}
              editable={canEdit}
              scope={scope}
              onChange={updateActivity}
              onMetaChange={(patch, field) => doc.commit((s) => ({ ...s, meta: { ...s.meta, ...patch } }), `meta/${field}`)}
            />
          )}
        </div>
        {running && <RunDialog workflowId={workflowId} onClose={() => setRunning(false)} />}
      </div>
    </DesignerContext.Provider>
  );
}
