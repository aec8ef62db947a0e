import { describe, expect, it } from 'vitest';
import type { WorkflowDefinition } from '../api/types';
import { checkConnection, newActivityId, outcomesOf, pruneDanglingEdges, toDefinition, toGraph } from './definition';
import { descriptors } from './fixtures.test-support';

const definition: WorkflowDefinition = {
  id: 'flow',
  name: 'Flow',
  description: 'd',
  variables: { order: { total: 10 } },
  activities: [
    { id: 'start', type: 'Start', inputs: {}, position: { x: 0, y: 0 } },
    { id: 'check', type: 'If', name: 'Big order?', inputs: { condition: { $js: 'variables.order.total > 100' } }, position: { x: 10.4, y: 120 } },
    { id: 'end', type: 'End', inputs: {}, position: { x: 0, y: 240 } },
  ],
  connections: [
    { source: 'start', outcome: 'Done', target: 'check' },
    { source: 'check', outcome: 'True', target: 'end' },
  ],
};

describe('toGraph / toDefinition', () => {
  it('round-trips a definition through the canvas graph', () => {
    const { meta, nodes, edges } = toGraph(definition);

    const back = toDefinition(meta, nodes, edges);

    expect(back.activities).toEqual([
      { id: 'start', type: 'Start', inputs: {}, position: { x: 0, y: 0 } },
      { id: 'check', type: 'If', name: 'Big order?', inputs: { condition: { $js: 'variables.order.total > 100' } }, position: { x: 10, y: 120 } },
      { id: 'end', type: 'End', inputs: {}, position: { x: 0, y: 240 } },
    ]);
    expect(back.connections).toEqual(definition.connections);
    expect(back.variables).toEqual({ order: { total: 10 } });
  });

  it('gives each connection an edge from the outcome handle', () => {
    const { edges } = toGraph(definition);

    expect(edges[1]).toMatchObject({ id: 'check:True->end', source: 'check', sourceHandle: 'True', target: 'end' });
  });
});

describe('outcomesOf', () => {
  it('lists fixed outcomes', () => {
    expect(outcomesOf(descriptors.get('If'), {})).toEqual(['True', 'False']);
  });

  it('puts outcomes from an input before the fixed ones, like the engine', () => {
    const cases = { cases: [{ name: 'Express', condition: { $js: 'true' } }, { name: '' }, 'Bulk'] };

    expect(outcomesOf(descriptors.get('Switch'), cases)).toEqual(['Express', 'Bulk', 'Default']);
  });

  it('falls back to Done for an unknown type', () => {
    expect(outcomesOf(undefined, {})).toEqual(['Done']);
  });
});

describe('newActivityId', () => {
  it('derives an expression-friendly id from the type and skips taken ones', () => {
    expect(newActivityId('Fulfillment.PlaceSupplierOrders', [])).toBe('placeSupplierOrders');
    expect(newActivityId('If', ['if', 'if2'])).toBe('if3');
  });
});

describe('checkConnection', () => {
  const { nodes, edges } = toGraph(definition);

  it('accepts an unconnected outcome to another activity', () => {
    expect(checkConnection({ source: 'check', sourceHandle: 'False', target: 'end' }, nodes, edges, descriptors)).toEqual({ ok: true });
  });

  it.each([
    [{ source: 'check', sourceHandle: 'False', target: 'check' }, 'cannot follow itself'],
    [{ source: 'check', sourceHandle: 'Maybe', target: 'end' }, "no outcome 'Maybe'"],
    [{ source: 'check', sourceHandle: 'False', target: 'start' }, 'into Start'],
    [{ source: 'check', sourceHandle: 'True', target: 'start' }, 'into Start'],
    [{ source: 'start', sourceHandle: 'Done', target: 'end' }, 'already connected'],
  ])('refuses %o', (connection, reason) => {
    const result = checkConnection(connection, nodes, edges, descriptors);

    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toContain(reason);
  });

  it('removes edges whose outcome disappeared', () => {
    const renamed = nodes.map((n) => (n.id === 'check' ? { ...n, data: { ...n.data, type: 'SetVariable' } } : n));

    expect(pruneDanglingEdges(renamed, edges, descriptors).map((e) => e.id)).toEqual(['start:Done->check']);
  });
});
