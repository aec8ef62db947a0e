import { describe, expect, it } from 'vitest';
import type { WorkflowDefinition } from '../api/types';
import { diffDefinitions, jsonEqual, summarize } from './diff';

const v1: WorkflowDefinition = {
  id: 'f',
  activities: [
    { id: 'start', type: 'Start', inputs: {}, position: { x: 0, y: 0 } },
    { id: 'check', type: 'If', inputs: { condition: { $js: 'a > 1' } }, position: { x: 0, y: 100 } },
    { id: 'hold', type: 'Fault', inputs: { message: 'hold' }, position: { x: 0, y: 200 } },
    { id: 'end', type: 'End', inputs: {}, position: { x: 0, y: 300 } },
  ],
  connections: [
    { source: 'start', outcome: 'Done', target: 'check' },
    { source: 'check', outcome: 'False', target: 'hold' },
    { source: 'check', outcome: 'True', target: 'end' },
  ],
};

const v2: WorkflowDefinition = {
  id: 'f',
  activities: [
    { id: 'start', type: 'Start', inputs: {}, position: { x: 50, y: 0 } },
    { id: 'check', type: 'If', inputs: { condition: { $js: 'a > 2' } }, position: { x: 0, y: 100 } },
    { id: 'end', type: 'End', inputs: {}, position: { x: 0, y: 300 } },
    { id: 'notify', type: 'SetVariable', inputs: { name: 'n', value: 1 }, position: { x: 0, y: 200 } },
  ],
  connections: [
    { source: 'start', outcome: 'Done', target: 'check' },
    { source: 'check', outcome: 'True', target: 'notify' },
    { source: 'notify', outcome: 'Done', target: 'end' },
  ],
};

describe('diffDefinitions', () => {
  const diff = diffDefinitions(v1, v2);
  const kindOf = (id: string) => diff.activities.find((a) => a.id === id)?.kind;

  it('marks added, removed, changed and unchanged activities; moving is not a change', () => {
    expect(kindOf('notify')).toBe('added');
    expect(kindOf('hold')).toBe('removed');
    expect(kindOf('check')).toBe('changed');
    expect(kindOf('start')).toBe('unchanged');
    expect(kindOf('end')).toBe('unchanged');
  });

  it('names the changed inputs and rewired outcomes', () => {
    expect(diff.activities.find((a) => a.id === 'check')!.fields).toEqual(['inputs.condition', 'connections']);
  });

  it('lists connections added and removed', () => {
    expect(diff.addedConnections.sort()).toEqual(['check:True->notify', 'notify:Done->end']);
    expect(diff.removedConnections.sort()).toEqual(['check:False->hold', 'check:True->end']);
    expect(summarize(diff)).toBe('1 added, 1 removed, 1 changed; 2 connections added, 2 removed');
  });

  it('compares JSON regardless of key order', () => {
    expect(jsonEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true);
    expect(jsonEqual({ a: 1 }, { a: 1, b: null })).toBe(false);
    expect(jsonEqual([1, 2], [2, 1])).toBe(false);
  });
});
