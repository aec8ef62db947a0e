import { describe, expect, it } from 'vitest';
import { toGraph } from './definition';
import { fromProblemErrors, locateErrors } from './validation';

const { nodes } = toGraph({
  id: 'f',
  activities: [
    { id: 'start', type: 'Start', inputs: {} },
    { id: 'check', type: 'If', inputs: {} },
  ],
});

describe('locateErrors', () => {
  it('maps activity paths to node ids and inputs, connection paths to indexes, the rest to general', () => {
    const located = locateErrors(
      [
        { path: 'activities[1].inputs.condition', message: "'Condition' is required." },
        { path: 'activities[1]', message: 'odd' },
        { path: 'connections[0].outcome', message: "'start' has no outcome 'X'." },
        { path: 'activities', message: 'A definition needs exactly one Start activity; it has 2.' },
        { path: 'activities[9].type', message: 'beyond the canvas' },
      ],
      nodes,
    );

    expect(located.byActivity.get('check')).toEqual([
      { field: 'inputs.condition', message: "'Condition' is required." },
      { field: '', message: 'odd' },
    ]);
    expect(located.byConnection.get(0)).toEqual(["'start' has no outcome 'X'."]);
    expect(located.general).toEqual(['A definition needs exactly one Start activity; it has 2.', 'beyond the canvas']);
  });

  it('reads a refused publish', () => {
    expect(fromProblemErrors({ 'activities[1].inputs.condition': ['a', 'b'] })).toEqual([
      { path: 'activities[1].inputs.condition', message: 'a' },
      { path: 'activities[1].inputs.condition', message: 'b' },
    ]);
  });
});
