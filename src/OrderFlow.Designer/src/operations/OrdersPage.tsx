import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useOrders, useOrderStats, type OrderFilter } from '../api/queries';
import { formatAge } from '../components/format';
import { ORDER_STATUSES } from '../model/orders';

const AGES: [string, number | undefined][] = [['Any age', undefined], ['Older than 1 h', 60], ['Older than 1 day', 1440], ['Older than 3 days', 4320]];

/** Orders with filters (status, merchant, supplier, age, needing attention) and search by order id, e-mail or tracking number. */
export function OrdersPage() {
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(params.get('q') ?? '');
  const filter: OrderFilter = {
    ...(params.get('status') ? { status: params.get('status')! } : {}),
    ...(params.get('merchant') ? { merchant: params.get('merchant')! } : {}),
    ...(params.get('supplier') ? { supplier: params.get('supplier')! } : {}),
    ...(params.get('attention') === 'true' ? { attention: true } : {}),
    ...(params.get('q') ? { q: params.get('q')! } : {}),
    ...(params.get('age') ? { olderThanMinutes: Number(params.get('age')) } : {}),
  };
  const set = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value); else next.delete(key);
    setParams(next, { replace: true });
  };
  const orders = useOrders(filter);
  const stats = useOrderStats();
  const items = orders.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div className="list-page">
      <header className="page-head">
        <div><h1>Orders</h1><div className="muted">{stats.data ? `${String(stats.data.total)} order${Number(stats.data.total) === 1 ? '' : 's'} in all` : ''}</div></div>
        <form className="inline-form" onSubmit={(e) => { e.preventDefault(); set('q', search.trim() || undefined); }}>
          <input type="search" aria-label="Search orders" placeholder="Order id, e-mail or tracking number" value={search}
            onChange={(e) => setSearch(e.target.value)} style={{ width: 320 }} />
          <button type="submit">Search</button>
        </form>
      </header>
      <div className="status-chips" role="group" aria-label="Status">
        <button type="button" className={!filter.status ? 'chip on' : 'chip'} onClick={() => set('status', undefined)}>All</button>
        {ORDER_STATUSES.map((s) => (
          <button key={s} type="button" className={`chip status-${s}${filter.status === s ? ' on' : ''}`} onClick={() => set('status', filter.status === s ? undefined : s)}>
            {s.replace('_', ' ')} <span className="chip-count">{String(stats.data?.byStatus[s] ?? 0)}</span>
          </button>
        ))}
      </div>
      <div className="filters">
        <input aria-label="Merchant" placeholder="Merchant id" defaultValue={filter.merchant ?? ''} onBlur={(e) => set('merchant', e.target.value.trim() || undefined)} />
        <input aria-label="Supplier" placeholder="Supplier id" defaultValue={filter.supplier ?? ''} onBlur={(e) => set('supplier', e.target.value.trim() || undefined)} />
        <select aria-label="Age" value={params.get('age') ?? ''} onChange={(e) => set('age', e.target.value || undefined)}>
          {AGES.map(([label, minutes]) => <option key={label} value={minutes ?? ''}>{label}</option>)}
        </select>
        <label className="check"><input type="checkbox" checked={filter.attention === true} onChange={(e) => set('attention', e.target.checked ? 'true' : undefined)} /> Needs attention</label>
      </div>
      {orders.error && <div className="page-error" role="alert">{String(orders.error)}</div>}
      <table className="table">
        <thead><tr><th>Order</th><th>Merchant</th><th>Status</th><th>Customer</th><th className="num">Total</th><th className="num">Lines</th><th>Age</th><th>Updated</th></tr></thead>
        <tbody>
          {items.map((o) => (
            <tr key={o.id} className={o.needsAttention ? 'attention' : undefined}>
              <td><Link to={`/orders/${o.id}`}>{o.merchantOrderId}</Link>{o.needsAttention && <span className="attention-flag" title="Needs attention">!</span>}</td>
              <td>{o.merchantId}</td>
              <td><span className={`status-pill order-${o.status}`}>{o.status.replace('_', ' ')}</span></td>
              <td className="muted">{o.customerEmail}</td>
              <td className="num">{Number(o.total).toFixed(2)} {o.currency}</td>
              <td className="num">{String(o.lineCount)}</td>
              <td className="muted">{formatAge(o.createdAt)}</td>
              <td className="muted">{formatAge(o.updatedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {orders.data && items.length === 0 && <div className="empty">No orders match.</div>}
      {orders.hasNextPage && <div className="more"><button type="button" onClick={() => void orders.fetchNextPage()} disabled={orders.isFetchingNextPage}>Load more</button></div>}
    </div>
  );
}
