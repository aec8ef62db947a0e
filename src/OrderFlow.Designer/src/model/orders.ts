import type { OrderDetails } from '../api/types';

export const ORDER_STATUSES = ['received', 'routed', 'placed', 'partially_shipped', 'shipped', 'delivered', 'exception', 'cancelled'] as const;

export interface TimelineItem {
  at: string;
  kind: 'status' | 'tracking' | 'supplier' | 'notification' | 'delivery';
  title: string;
  detail: string;
}

/** Everything that happened to an order, newest first: status changes, supplier decisions, parcel checkpoints, e-mails, webhooks. */
export function orderTimeline(order: OrderDetails): TimelineItem[] {
  const items: TimelineItem[] = [
    ...order.events.map((e) => ({ at: e.createdAt, kind: 'status' as const, title: e.type, detail: `event #${String(e.sequence)}` })),
    ...order.supplierOrders.flatMap((s) => (s.placedAt ? [{
      at: s.placedAt, kind: 'supplier' as const, title: `Placed with ${s.supplierId}`,
      detail: [s.status, s.supplierOrderId, s.rejectionReason, s.rejectionMessage].filter(Boolean).join(' · '),
    }] : [])),
    ...order.parcels.flatMap((p) => p.events.map((e) => ({
      at: e.occurredAt, kind: 'tracking' as const, title: `${p.carrier} ${p.trackingNumber}: ${e.status}`,
      detail: [e.location, e.message].filter(Boolean).join(' · '),
    }))),
    ...order.notifications.map((n) => ({
      at: n.sentAt ?? n.createdAt, kind: 'notification' as const, title: `${n.channel} "${n.template}" to ${n.recipient}`,
      detail: n.lastError ? `${n.status}: ${n.lastError}` : n.status,
    })),
    ...order.deliveries.flatMap((d) => (d.deliveredAt ? [{
      at: d.deliveredAt, kind: 'delivery' as const, title: `Storefront notified (#${String(d.sequence)})`, detail: `${d.status} · HTTP ${String(d.lastStatusCode ?? '—')}`,
    }] : [])),
  ];
  return items.sort((a, b) => b.at.localeCompare(a.at));
}
