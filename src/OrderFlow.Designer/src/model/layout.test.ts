import { describe, expect, it } from 'vitest';
import { toGraph } from './definition';
import { arrangeForCanvas, autoLayout, DEFAULT_NODE_SIZE, initialFitNodes, readsTopToBottom } from './layout';

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

  it('puts the targets of a node in the order of its outcomes, so True and False do not cross', () => {
    const { nodes, edges } = toGraph({
      id: 'f',
      activities: ['if', 'a', 'b', 'c'].map((id) => ({ id, type: 'X', inputs: {}, position: { x: 0, y: 0 } })),
      connections: [
        { source: 'if', outcome: 'Default', target: 'a' },
        { source: 'if', outcome: 'False', target: 'b' },
        { source: 'if', outcome: 'True', target: 'c' },
      ],
    });

    const placed = new Map(autoLayout(nodes, edges, undefined, () => ['True', 'False', 'Default']).map((n) => [n.id, n.position.x]));

    expect(placed.get('c')!).toBeLessThan(placed.get('b')!);
    expect(placed.get('b')!).toBeLessThan(placed.get('a')!);
  });
});

describe('arrangeForCanvas', () => {
  const flow = (positions: Record<string, [number, number]>) => toGraph({
    id: 'f',
    activities: Object.entries(positions).map(([id, [x, y]]) => ({ id, type: 'X', inputs: {}, position: { x, y } })),
    connections: [
      { source: 'a', outcome: 'Done', target: 'b' },
      { source: 'b', outcome: 'Done', target: 'c' },
    ],
  });

  it('keeps positions that read top to bottom', () => {
    const { nodes, edges } = flow({ a: [0, 0], b: [10, 150], c: [0, 300] });

    expect(readsTopToBottom(nodes, edges)).toBe(true);
    expect(arrangeForCanvas(nodes, edges, () => []).map((n) => n.position)).toEqual(nodes.map((n) => n.position));
  });

  it('arranges a left-to-right file top to bottom', () => {
    const { nodes, edges } = flow({ a: [0, 200], b: [240, 200], c: [480, 200] });

    const arranged = arrangeForCanvas(nodes, edges, () => []);

    expect(readsTopToBottom(nodes, edges)).toBe(false);
    expect(readsTopToBottom(arranged, edges)).toBe(true);
  });
});

describe('initialFitNodes', () => {
  const column = (count: number) => toGraph({
    id: 'f',
    activities: Array.from({ length: count }, (_, i) => ({ id: `n${i}`, type: 'X', inputs: {}, position: { x: 0, y: (count - i) * 100 } })),
  }).nodes;

  it('fits a small workflow whole and a large one from the top', () => {
    expect(initialFitNodes(column(3))).toEqual(['n0', 'n1', 'n2']);
    expect(initialFitNodes(column(12))).toEqual(['n11', 'n10', 'n9', 'n8', 'n7', 'n6']);
  });
});
