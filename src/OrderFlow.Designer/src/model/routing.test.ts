import { describe, expect, it } from 'vitest';
import type { RoutingRule } from '../api/types';
import { describeRule, fromDraft, fromLocalInput, moveRule, newRule, previewOrder, toDraft, toLocalInput } from './routing';

const rule: RoutingRule = {
  name: 'EU lamps',
  filter: { countries: ['DE', 'AT'], skus: ['LAMP'], tags: null, minOrderValue: 50, maxOrderValue: null },
  strategy: { type: 'lowest_landed_cost', suppliers: ['acme'], singleSupplier: 'preferred', splitAboveValue: 200 },
  fallback: 'cancel',
  cancelAfter: '2026-12-01T09:30:00.000Z',
};

describe('rule drafts', () => {
  it('round-trip a rule through the form unchanged', () => {
    expect(fromDraft(toDraft(rule))).toEqual({ ...rule, filter: { ...rule.filter, tags: null } });
  });

  it('send lists trimmed without empty items, empty numbers as null, and text as typed for the server to judge', () => {
    const draft = { ...newRule(0), countries: ' de , ,AT,', minOrderValue: '', splitAboveValue: '0', name: '  Main  ' };
    const sent = fromDraft(draft);
    expect(sent.filter?.countries).toEqual(['de', 'AT']);
    expect(sent.filter?.minOrderValue).toBeNull();
    expect(sent.strategy?.splitAboveValue).toBe(0);
    expect(sent.name).toBe('Main');
  });

  it('drop the cancel date unless the fallback is cancel', () => {
    expect(fromDraft({ ...toDraft(rule), fallback: 'hold' }).cancelAfter).toBeNull();
  });

  it('give each new draft its own key', () => {
    expect(newRule(0).key).not.toBe(newRule(0).key);
    expect(newRule(2).name).toBe('Rule 3');
  });
});

describe('local date inputs', () => {
  it('show an instant in local time and read it back', () => {
    const local = toLocalInput('2026-12-01T09:30:00Z');
    expect(local).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    expect(fromLocalInput(local)).toBe('2026-12-01T09:30:00.000Z');
    expect(fromLocalInput('')).toBeNull();
    expect(toLocalInput(null)).toBe('');
  });
});

describe('moveRule', () => {
  it('moves a rule up or down and ignores moves past either end', () => {
    expect(moveRule(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moveRule(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moveRule(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moveRule(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c']);
  });
});

describe('describeRule', () => {
  it('says which orders and what happens in words', () => {
    const text = describeRule({ ...rule, cancelAfter: null });
    expect(text.when).toBe('Orders to DE, AT, with SKU LAMP, worth at least 50');
    expect(text.then).toBe('Lowest landed cost (items + shipping + fee), among acme, one supplier preferred, split only above 200; if that fails: cancel (after a date)');
    expect(describeRule({ name: 'all' }).when).toBe('Every order');
  });
});

describe('previewOrder', () => {
  it('reads SKU, quantity and price per row', () => {
    const result = previewOrder({ country: ' DE ', tags: 'vip, b2b', currency: '', lines: 'LAMP x2 @ 40\n\nMUG\nCHAIR × 3 @ 12.5' });
    if (!('order' in result)) throw new Error('expected an order');
    expect(result.order.lines?.map((l) => [l.sku, l.quantity, l.unitPrice])).toEqual([['LAMP', 2, 40], ['MUG', 1, 0], ['CHAIR', 3, 12.5]]);
    expect(result.order.shippingAddress?.country).toBe('DE');
    expect(result.order.tags).toEqual(['vip', 'b2b']);
    expect(result.order.currency).toBe('EUR');
  });

  it('names the rows it cannot read, and refuses an order without lines', () => {
    expect(previewOrder({ country: 'DE', tags: '', currency: 'EUR', lines: 'LAMP x2\nLAMP two\nMUG @ cheap' })).toEqual({ badRows: [2, 3] });
    expect(previewOrder({ country: 'DE', tags: '', currency: 'EUR', lines: '  ' })).toEqual({ badRows: [1] });
  });
});
