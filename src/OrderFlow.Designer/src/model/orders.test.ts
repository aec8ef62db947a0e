import { describe, expect, it } from 'vitest';
import type { OrderDetails } from '../api/types';
import { orderTimeline } from './orders';

const order = {
  id: 'o', merchantId: 'm', merchantOrderId: '1001', status: 'shipped', currency: 'EUR', total: 10, customer: null, shippingAddress: null, tags: [],
  workflowInstanceId: null, trackingPageUrl: '/t/x', createdAt: '2026-01-01T10:00:00Z', updatedAt: '2026-01-01T12:00:00Z', lines: [],
  events: [{ eventId: 'e1', sequence: 1, type: 'order.received', createdAt: '2026-01-01T10:00:00Z' }, { eventId: 'e2', sequence: 2, type: 'order.shipped', createdAt: '2026-01-01T11:30:00Z' }],
  supplierOrders: [
    { id: 's', supplierId: 'acme', reference: 'r', supplierOrderId: 'A-1', status: 'accepted', rejectionReason: null, rejectionMessage: null, placedAt: '2026-01-01T10:05:00Z', updatedAt: '2026-01-01T10:06:00Z' },
    { id: 's2', supplierId: 'never', reference: 'r2', supplierOrderId: null, status: 'pending', rejectionReason: null, rejectionMessage: null, placedAt: null, updatedAt: '2026-01-01T10:06:00Z' },
  ],
  parcels: [{ id: 'p', carrier: 'DHL', trackingNumber: 'JD1', trackingUrl: null, status: 'InTransit', lineIds: [], estimatedDelivery: null, lastEventAt: null,
    events: [{ parcelId: 'p', eventId: 't1', status: 'InTransit', occurredAt: '2026-01-01T11:00:00Z', location: 'Utrecht', message: null }] }],
  notifications: [{ id: 'n', channel: 'email', template: 'shipped', recipient: 'a@b.c', subject: 's', status: 'sent', attempts: 1, lastError: null, sentAt: '2026-01-01T11:31:00Z', createdAt: '2026-01-01T11:30:30Z', nextAttemptAt: null }],
  deliveries: [{ id: 1, eventId: 'e2', sequence: 2, url: 'https://shop', status: 'delivered', attempts: 1, lastStatusCode: 200, lastError: null, nextAttemptAt: '2026-01-01T11:30:00Z', deliveredAt: '2026-01-01T11:30:10Z' }],
} satisfies OrderDetails;

describe('orderTimeline', () => {
  it('merges everything that happened, newest first, skipping what has not happened yet', () => {
    const timeline = orderTimeline(order);

    expect(timeline.map((t) => t.kind)).toEqual(['notification', 'delivery', 'status', 'tracking', 'supplier', 'status']);
    expect(timeline.find((t) => t.kind === 'tracking')).toMatchObject({ title: 'DHL JD1: InTransit', detail: 'Utrecht' });
    expect(timeline.find((t) => t.kind === 'supplier')).toMatchObject({ title: 'Placed with acme', detail: 'accepted · A-1' });
  });
});
