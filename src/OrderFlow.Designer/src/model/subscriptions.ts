import type { WebhookSubscription } from '../api/types';

/** The status events a storefront can subscribe to (the server's WebhookEventTypes; it refuses others, naming them). */
export const EVENT_TYPES = [
  'order.received', 'order.routed', 'order.placed', 'order.partially_shipped', 'order.shipped', 'shipment.updated',
  'order.delivered', 'order.exception', 'order.cancelled',
] as const;

/** Adds or removes one event type, keeping the list in the catalogue's order. */
export function toggleEvent(selected: readonly string[], type: string): string[] {
  const next = new Set(selected);
  if (next.has(type)) next.delete(type); else next.add(type);
  return [...EVENT_TYPES.filter((t) => next.has(t)), ...[...next].filter((t) => !(EVENT_TYPES as readonly string[]).includes(t))];
}

/** "all events", or the list. An empty or missing filter means every event type. */
export function eventFilterText(types: readonly string[] | null | undefined): string {
  return types?.length ? types.join(', ') : 'all events';
}

/** What the subscription's state is, in a word and a sentence. */
export function subscriptionState(s: WebhookSubscription): { word: 'active' | 'failing' | 'disabled'; detail: string } {
  if (!s.enabled) return { word: 'disabled', detail: s.disabledReason ?? 'Disabled by ops.' };
  if (s.failingSince) return { word: 'failing', detail: `Failing since ${new Date(s.failingSince).toUTCString()}` };
  return { word: 'active', detail: '' };
}
