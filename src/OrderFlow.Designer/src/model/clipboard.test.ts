import { describe, expect, it } from 'vitest';
import { copySelection, parseClipboard, paste } from './clipboard';
import { toGraph } from './definition';

const { nodes, edges } = toGraph({
  id: 'f',
  activities: [
    { id: 'start', type: 'Start', inputs: {}, position: { x: 0, y: 0 } },
    { id: 'if', type: 'If', inputs: { condition: true }, position: { x: 0, y: 100 } },
    { id: 'end', type: 'End', inputs: {}, position: { x: 0, y: 200 } },
  ],
  connections: [
    { source: 'start', outcome: 'Done', target: 'if' },
    { source: 'if', outcome: 'True', target: 'end' },
  ],
});
const isStart = (type: string) => type === 'Start';

describe('copy and paste', () => {
  it('copies the selection and only the connections inside it', () => {
    const selected = nodes.map((n) => ({ ...n, selected: n.id !== 'start' }));

    const copied = copySelection(selected, edges)!;

    expect(copied.nodes.map((n) => n.id)).toEqual(['if', 'end']);
    expect(copied.edges.map((e) => e.id)).toEqual(['if:True->end']);
  });

  it('pastes with fresh ids, shifted, selected, connections renamed', () => {
    const copied = copySelection(nodes.map((n) => ({ ...n, selected: n.id !== 'start' })), edges)!;

    const pasted = paste(parseClipboard(JSON.stringify(copied))!, nodes, isStart);

    expect(pasted.nodes.map((n) => n.id)).toEqual(['if2', 'end2']);
    expect(pasted.nodes[0]!.position).toEqual({ x: 40, y: 140 });
    expect(pasted.nodes.every((n) => n.selected)).toBe(true);
    expect(pasted.edges).toEqual([expect.objectContaining({ id: 'if2:True->end2', source: 'if2', target: 'end2' })]);
  });

  it('never pastes a second Start', () => {
    const copied = copySelection(nodes.map((n) => ({ ...n, selected: true })), edges)!;

    const pasted = paste(copied, nodes, isStart);

    expect(pasted.nodes.map((n) => n.data.type)).toEqual(['If', 'End']);
    expect(pasted.edges.map((e) => e.sourceHandle)).toEqual(['True']);
  });

  it('ignores clipboard text that is not copied activities', () => {
    expect(parseClipboard('hello')).toBeNull();
    expect(parseClipboard('{"kind":"other"}')).toBeNull();
    expect(copySelection(nodes, edges)).toBeNull();
  });
});
