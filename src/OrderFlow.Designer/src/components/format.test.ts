import { describe, expect, it } from 'vitest';
import { formatAge, shortId } from './format';

describe('format', () => {
  const now = Date.parse('2026-01-02T12:00:00Z');

  it('says how long ago, in the largest sensible unit', () => {
    expect(formatAge('2026-01-02T11:59:30Z', now)).toBe('30 s ago');
    expect(formatAge('2026-01-02T11:15:00Z', now)).toBe('45 min ago');
    expect(formatAge('2026-01-02T07:00:00Z', now)).toBe('5 h ago');
    expect(formatAge('2025-12-30T12:00:00Z', now)).toBe('3 d ago');
    expect(formatAge(null, now)).toBe('');
  });

  it('shortens long ids only', () => {
    expect(shortId('01a210b0-140c-7c8a-9508-e8dd652581a3')).toBe('…652581a3');
    expect(shortId('01a210b0-140c-7c8a-9508-e8dd65aaaaaa')).not.toBe(shortId('01a210b0-140c-7c8a-9508-e8dd652581a3'));
    expect(shortId('order-1')).toBe('order-1');
  });
});
