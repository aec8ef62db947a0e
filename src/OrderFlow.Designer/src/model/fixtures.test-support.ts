import type { ActivityDescriptor } from '../api/types';

const input = (name: string, type: string, required = false) => ({ name, type, displayName: name, required, description: '', supportsExpression: true });

/** Descriptors shaped like the server's built-ins. */
export const descriptors = new Map<string, ActivityDescriptor>(
  [
    { type: 'Start', category: 'Flow', displayName: 'Start', outcomes: ['Done'], isStart: true },
    { type: 'End', category: 'Flow', displayName: 'End', outcomes: [] },
    { type: 'If', category: 'Flow', displayName: 'If', inputs: [input('condition', 'boolean', true)], outcomes: ['True', 'False'] },
    { type: 'Switch', category: 'Flow', displayName: 'Switch', inputs: [input('cases', 'cases', true)], outcomes: ['Default'], outcomesFromInput: 'cases' },
    { type: 'Fork', category: 'Flow', displayName: 'Fork', inputs: [input('branches', 'string[]', true)], outcomes: [], outcomesFromInput: 'branches' },
    { type: 'SetVariable', category: 'Data', displayName: 'Set variable', inputs: [input('name', 'string', true), input('value', 'json', true)], outcomes: ['Done'] },
    { type: 'Fulfillment.PlaceSupplierOrders', category: 'Fulfillment', displayName: 'Place supplier orders', outcomes: ['Placed', 'Rejected'], outputs: [{ name: 'supplierOrderIds', type: 'string[]' }] },
  ].map((d) => [d.type, d as ActivityDescriptor]),
);
