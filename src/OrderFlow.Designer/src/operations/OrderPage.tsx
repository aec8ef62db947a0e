import { Link, useParams } from 'react-router';
import { useOrder } from '../api/queries';
import type { OrderDetails } from '../api/types';
import { formatAge, formatTime } from '../components/format';
import { isRecord } from '../model/definition';
import { orderTimeline } from '../model/orders';

function text(value: unknown, ...keys: string[]): string {
  return isRecord(value) ? keys.map((k) => value[k]).filter((v) => typeof v === 'string' && v).join(', ') : '';
}

/** One order: lines and their suppliers, supplier orders, parcels with tracking, the timeline, e-mails and storefront webhooks. */
export function OrderPage() {
  const { id = '' } = useParams();
  const order = useOrder(id);
  if (order.error) return <div className="page-error" role="alert">{String(order.error)}</div>;
  if (!order.data) return <div className="loading">Loading order…</div>;
  const o = order.data;
  return (
    <div className="list-page order-page">
      <header className="page-head">
        <div>
          <div className="crumbs"><Link to="/orders" className="muted">Orders</Link><span className="muted"> / </span>{o.merchantId}</div>
          <h1>Order {o.merchantOrderId} <span className={`status-pill order-${o.status}`} data-testid="order-status">{o.status.replace('_', ' ')}</span></h1>
          <div className="muted small">
            {Number(o.total).toFixed(2)} {o.currency} · received {formatTime(o.createdAt)} · updated {formatAge(o.updatedAt)}
            {o.tags.length > 0 && <> · {o.tags.map((t) => <span key={t} className="badge">{t}</span>)}</>}
          </div>
        </div>
        <div className="head-links">
          {o.workflowInstanceId && <Link className="button" to={`/instances/${o.workflowInstanceId}`}>Workflow instance</Link>}
          <a className="button" href={o.trackingPageUrl} target="_blank" rel="noreferrer">Customer tracking page ↗</a>
        </div>
      </header>
      <div className="order-grid">
        <section className="card">
          <h2>Customer</h2>
          <div>{text(o.customer, 'name', 'firstName', 'lastName') || '—'}</div>
          <div className="muted">{text(o.customer, 'email')}</div>
          <div className="muted small">{text(o.shippingAddress, 'line1', 'address1', 'city', 'postalCode', 'zip', 'country')}</div>
        </section>
        <Parcels order={o} />
        <Lines order={o} />
        <SupplierOrders order={o} />
        <Timeline order={o} />
        <Notifications order={o} />
        <Deliveries order={o} />
      </div>
    </div>
  );
}

function Lines({ order }: { order: OrderDetails }) {
  return (
    <section className="card wide">
      <h2>Lines</h2>
      <table className="table compact">
        <thead><tr><th>SKU</th><th>Product</th><th className="num">Qty</th><th className="num">Unit price</th><th>Status</th><th>Supplier</th><th>Rejected by</th></tr></thead>
        <tbody>
          {order.lines.map((l) => (
            <tr key={l.lineId}>
              <td><code>{l.sku}</code></td><td>{l.name}</td><td className="num">{String(l.quantity)}</td>
              <td className="num">{Number(l.unitPrice ?? 0).toFixed(2)}</td><td>{l.status}</td><td>{l.supplierId ?? <span className="muted">not routed</span>}</td>
              <td className="muted">{l.rejectedBy?.join(', ')}{l.rejectionReason ? ` (${l.rejectionReason})` : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function SupplierOrders({ order }: { order: OrderDetails }) {
  return (
    <section className="card wide">
      <h2>Supplier orders</h2>
      {order.supplierOrders.length === 0 ? <p className="muted">None placed yet.</p> : (
        <table className="table compact">
          <thead><tr><th>Supplier</th><th>Our reference</th><th>Their id</th><th>Status</th><th>Placed</th><th>Problem</th></tr></thead>
          <tbody>
            {order.supplierOrders.map((s) => (
              <tr key={s.id}>
                <td>{s.supplierId}</td><td><code>{s.reference}</code></td><td>{s.supplierOrderId ?? '—'}</td><td>{s.status}</td>
                <td className="muted nowrap">{formatTime(s.placedAt)}</td><td className="muted">{[s.rejectionReason, s.rejectionMessage].filter(Boolean).join(': ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Parcels({ order }: { order: OrderDetails }) {
  return (
    <section className="card">
      <h2>Parcels</h2>
      {order.parcels.length === 0 && <p className="muted">No parcel yet.</p>}
      {order.parcels.map((p) => (
        <div key={p.id} className="parcel">
          <div><strong>{p.carrier}</strong> {p.trackingUrl ? <a href={p.trackingUrl} target="_blank" rel="noreferrer">{p.trackingNumber}</a> : <code>{p.trackingNumber}</code>}
            {' '}<span className="badge">{p.status}</span></div>
          <div className="muted small">
            {p.lineIds.map((lineId) => order.lines.find((l) => l.lineId === lineId)).filter((l) => l !== undefined).map((l) => `${l.sku} ×${String(l.quantity)}`).join(', ')}
            {p.estimatedDelivery && ` · expected ${formatTime(p.estimatedDelivery)}`}
          </div>
          <ol className="checkpoints">
            {[...p.events].reverse().map((e) => (
              <li key={e.eventId}><span className="muted small">{formatTime(e.occurredAt)}</span> {e.status}{e.location ? ` · ${e.location}` : ''}{e.message ? ` · ${e.message}` : ''}</li>
            ))}
          </ol>
        </div>
      ))}
    </section>
  );
}

function Timeline({ order }: { order: OrderDetails }) {
  return (
    <section className="card">
      <h2>Timeline</h2>
      <ol className="timeline">
        {orderTimeline(order).map((t, i) => (
          <li key={i} className={`tl-${t.kind}`}>
            <div className="tl-title">{t.title}</div>
            <div className="muted small">{formatTime(t.at)}{t.detail ? ` · ${t.detail}` : ''}</div>
          </li>
        ))}
      </ol>
    </section>
  );
}

function Notifications({ order }: { order: OrderDetails }) {
  return (
    <section className="card">
      <h2>Customer notifications</h2>
      {order.notifications.length === 0 ? <p className="muted">None sent.</p> : (
        <table className="table compact">
          <thead><tr><th>Message</th><th>To</th><th>Status</th><th>Sent</th></tr></thead>
          <tbody>
            {order.notifications.map((n) => (
              <tr key={n.id}><td title={n.subject ?? undefined}>{n.channel} · {n.template.replaceAll('_', ' ')}</td><td className="muted">{n.recipient}</td>
                <td>{n.status}{Number(n.attempts) > 1 ? ` after ${n.attempts} attempts` : ''}{n.lastError ? <div className="field-error">{n.lastError}</div> : null}</td><td className="muted">{formatTime(n.sentAt)}</td></tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Deliveries({ order }: { order: OrderDetails }) {
  return (
    <section className="card wide">
      <h2>Storefront deliveries</h2>
      {order.deliveries.length === 0 ? <p className="muted">No status webhooks.</p> : (
        <table className="table compact">
          <thead><tr><th>#</th><th>Endpoint</th><th>Status</th><th className="num">Attempts</th><th>HTTP</th><th>Delivered / next attempt</th><th>Error</th></tr></thead>
          <tbody>
            {order.deliveries.map((d) => (
              <tr key={String(d.id)}><td>{String(d.sequence)}</td><td className="muted">{d.url}</td><td>{d.status}</td><td className="num">{String(d.attempts)}</td>
                <td>{String(d.lastStatusCode ?? '—')}</td><td className="muted nowrap">{d.deliveredAt ? formatTime(d.deliveredAt) : `next ${formatTime(d.nextAttemptAt)}`}</td>
                <td className="muted">{d.lastError}</td></tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
