/** Orders arrive with the fulfillment API (GET /api/orders); until this server has it, say so plainly. */
export function OrdersPage() {
  return (
    <div className="list-page">
      <header className="page-head"><h1>Orders</h1></header>
      <div className="empty">
        The orders list and order pages need the orders API (<code>/api/orders</code>), which this server does not offer yet.
        Meanwhile, find an order's workflow under <a href="/instances">Instances</a> by its correlation id.
      </div>
    </div>
  );
}
