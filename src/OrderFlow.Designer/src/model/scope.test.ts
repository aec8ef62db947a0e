import { describe, expect, it } from 'vitest';
import { toGraph } from './definition';
import { descriptors } from './fixtures.test-support';
import { complete, expressionScope } from './scope';

const { meta, nodes } = toGraph({
  id: 'f',
  variables: { order: { id: 'o-1', total: 12.5, lines: [{ sku: 'A', quantity: 1 }] }, attempts: 0 },
  activities: [
    { id: 'start', type: 'Start', inputs: {} },
    { id: 'place', type: 'Fulfillment.PlaceSupplierOrders', inputs: {} },
    { id: 'place-backup', type: 'Fulfillment.PlaceSupplierOrders', inputs: {} },
    { id: 'remember', type: 'SetVariable', inputs: { name: 'routedAt', value: 1 } },
    { id: 'check', type: 'If', inputs: {} },
  ],
});

describe('expressionScope', () => {
  const scope = expressionScope(meta, nodes, descriptors, 'check');
  const labels = scope.map((e) => e.label);

  it('offers the variables and the order fields inside them', () => {
    expect(labels).toEqual(expect.arrayContaining(['variables.order', 'variables.order.total', 'variables.order.lines[0].sku', 'variables.attempts']));
  });

  it('offers outputs of the other activities, bracketed when the id is not an identifier', () => {
    expect(labels).toEqual(expect.arrayContaining(['outputs.place.supplierOrderIds', 'outputs["place-backup"].supplierOrderIds']));
  });

  it('offers variables written by Set variable activities', () => {
    expect(scope.find((e) => e.label === 'variables.routedAt')?.detail).toBe('set by remember');
  });

  it('completes one member at a time', () => {
    expect(complete(scope, 'variables.order.t').map((e) => e.label)).toEqual(['variables.order.total']);
    expect(complete(scope, 'variables.').map((e) => e.label)).toEqual(['variables.order', 'variables.attempts', 'variables.orderId', 'variables.routedAt']);
  });

  it('offers the order id intake starts every workflow with, even when the definition declares no variables', () => {
    const bare = expressionScope({ ...meta, variables: {} }, [], descriptors, null);

    expect(complete(bare, 'variables.ord').map((e) => e.label)).toEqual(['variables.orderId']);
  });

  it('describes declared variables by their initial value', () => {
    expect(scope.find((e) => e.label === 'variables.order.total')?.detail).toBe('number = 12.5');
  });
});
