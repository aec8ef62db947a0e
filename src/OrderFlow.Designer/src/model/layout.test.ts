import { describe, expect, it } from 'vitest';
import { toGraph } from './definition';
import { autoLayout, DEFAULT_NODE_SIZE } from './layout';

describe('autoLayout', () => {
  it('places each activity below the one it follows, without overlaps', () => {
    const { nodes, edges } = toGraph({
      id: 'f',
      activities: ['start', 'if', 'yes', 'no'].map((id) => ({ id, type: 'X', inputs: {}, position: { x: 0, y: 0 } })),
      connections: [
        { source: 'start', outcome: 'Done', target: 'if' },
        { source: 'if', outcome: 'True', target: 'yes' },
        { source: 'if', outcome: 'False', target: 'no' },
      ],
    });

    const placed = new Map(autoLayout(nodes, edges).map((n) => [n.id, n.position]));

    expect(placed.get('if')!.y).toBeGreaterThan(placed.get('start')!.y);
    expect(placed.get('yes')!.y).toBeGreaterThan(placed.get('if')!.y);
    expect(placed.get('yes')!.y).toBe(placed.get('no')!.y);
    expect(Math.abs(placed.get('yes')!.x - placed.get('no')!.x)).toBeGreaterThanOrEqual(DEFAULT_NODE_SIZE.width);
  });
});
