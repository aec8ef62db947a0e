import { describe, expect, it } from 'vitest';
import { canRedo, canUndo, MAX_HISTORY, record, redo, startHistory, undo } from './history';

describe('history', () => {
  it('undoes and redoes in order', () => {
    let h = startHistory('a');
    h = record(h, 'b');
    h = record(h, 'c');

    h = undo(h);
    expect(h.present).toBe('b');
    h = undo(h);
    expect(h.present).toBe('a');
    expect(canUndo(h)).toBe(false);
    h = redo(h);
    expect(h.present).toBe('b');
    expect(canRedo(h)).toBe(true);
  });

  it('drops the redo branch on a new change', () => {
    const h = record(undo(record(startHistory(1), 2)), 3);

    expect(h.present).toBe(3);
    expect(canRedo(h)).toBe(false);
    expect(h.past).toEqual([1]);
  });

  it('does not record an unchanged snapshot and keeps a bounded past', () => {
    let h = record(startHistory(0), 0);
    expect(canUndo(h)).toBe(false);
    for (let i = 1; i <= MAX_HISTORY + 10; i++) h = record(h, i);

    expect(h.past).toHaveLength(MAX_HISTORY);
    expect(undo(undo(h)).present).toBe(MAX_HISTORY + 8);
  });

  it('ignores undo and redo at the ends', () => {
    const h = startHistory('only');

    expect(undo(h)).toBe(h);
    expect(redo(h)).toBe(h);
  });
});
