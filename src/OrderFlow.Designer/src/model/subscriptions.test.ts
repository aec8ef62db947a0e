import { describe, expect, it } from 'vitest';
import { eventFilterText, subscriptionState, toggleEvent } from './subscriptions';

describe('toggleEvent', () => {
  it('adds and removes event types, keeping the catalogue order', () => {
    expect(toggleEvent(['order.delivered'], 'order.received')).toEqual(['order.received', 'order.delivered']);
    expect(toggleEvent(['order.received', 'order.delivered'], 'order.received')).toEqual(['order.delivered']);
  });
});

describe('eventFilterText', () => {
  it('reads an empty filter as every event', () => {
    expect(eventFilterText(null)).toBe('all events');
    expect(eventFilterText([])).toBe('all events');
    expect(eventFilterText(['order.shipped', 'order.delivered'])).toBe('order.shipped, order.delivered');
  });
});

describe('subscriptionState', () => {
  it('tells disabled, failing and active apart, with the reason', () => {
    expect(subscriptionState({ enabled: false, disabledReason: 'The endpoint answered 410 Gone.' })).toEqual({ word: 'disabled', detail: 'The endpoint answered 410 Gone.' });
    expect(subscriptionState({ enabled: true, failingSince: '2026-01-01T00:00:00Z' }).word).toBe('failing');
    expect(subscriptionState({ enabled: true, failingSince: null })).toEqual({ word: 'active', detail: '' });
  });
});
