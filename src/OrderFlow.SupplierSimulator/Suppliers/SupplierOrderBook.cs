using OrderFlow.SupplierSimulator.Admin;

namespace OrderFlow.SupplierSimulator.Suppliers;

/// <summary>
/// Every supplier order, the placement ledger and the stock, in memory behind one lock. Each call first lets
/// the clock catch up (decisions and hand-overs that fell due), oldest order first, so stock goes to whoever ordered first.
/// </summary>
internal sealed class SupplierOrderBook(TimeProvider time, RandomSource random, KnobStore knobs)
{
    private readonly Lock _lock = new();
    private readonly OrderLifecycle _lifecycle = new(random);
    private readonly Dictionary<string, StoredOrder> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Supplier, string Key), StoredOrder> _byKey = [];
    private readonly Dictionary<(string Supplier, string Reference), StoredOrder> _byReference = [];
    private readonly List<StoredOrder> _placements = [];
    private readonly List<StoredOrder> _unsettled = [];
    private readonly Dictionary<string, int> _sequence = new(StringComparer.Ordinal);
    private Dictionary<string, Dictionary<string, int>> _stock = FullStock(knobs.Current.Stock ?? 0);

    internal PlaceResult Place(string supplierId, string idempotencyKey, PlaceOrderRequest request, string trackingBase)
    {
        lock (_lock)
        {
            var now = CatchUp();
            if (_byKey.TryGetValue((supplierId, idempotencyKey), out var existing))
            {
                existing.Requests++;
                return new PlaceResult(PlaceOutcome.Replayed, OrderLifecycle.Describe(existing, now, trackingBase));
            }

            if (_byReference.TryGetValue((supplierId, request.Reference!), out var clash))
            {
                return new PlaceResult(PlaceOutcome.ReferenceConflict, OrderLifecycle.Describe(clash, now, trackingBase));
            }

            var n = _sequence[supplierId] = _sequence.GetValueOrDefault(supplierId) + 1;
            var order = new StoredOrder(
                $"{supplierId}-{n:D6}", supplierId, request.Reference!, idempotencyKey, request.ShipTo!,
                request.Lines!.Select(l => new StoredLine(l!.LineRef!, l.Sku!, l.Quantity)).ToList(), now);
            _byId[order.Id] = order;
            _byKey[(supplierId, idempotencyKey)] = order;
            _byReference[(supplierId, order.Reference)] = order;
            _placements.Add(order);
            _unsettled.Add(order);
            CatchUp();
            return new PlaceResult(PlaceOutcome.Created, OrderLifecycle.Describe(order, now, trackingBase));
        }
    }

    internal SupplierOrderDto? Get(string supplierId, string orderId, string trackingBase)
    {
        lock (_lock)
        {
            var now = CatchUp();
            return _byId.TryGetValue(orderId, out var order) && order.SupplierId == supplierId
                ? OrderLifecycle.Describe(order, now, trackingBase)
                : null;
        }
    }

    internal SupplierOrderDto? FindByReference(string supplierId, string reference, string trackingBase)
    {
        lock (_lock)
        {
            var now = CatchUp();
            return _byReference.TryGetValue((supplierId, reference), out var order) ? OrderLifecycle.Describe(order, now, trackingBase) : null;
        }
    }

    internal List<SupplierOrderDto> GetMany(string supplierId, IEnumerable<string> orderIds, string trackingBase)
    {
        lock (_lock)
        {
            var now = CatchUp();
            return orderIds.Distinct()
                .Select(id => _byId.GetValueOrDefault(id))
                .Where(o => o is not null && o.SupplierId == supplierId)
                .Select(o => OrderLifecycle.Describe(o!, now, trackingBase))
                .ToList();
        }
    }

    /// <summary>Cancels a pending or accepted, unshipped order and puts its stock back. Null when the order is unknown.</summary>
    internal CancelResult? Cancel(string supplierId, string orderId, string trackingBase)
    {
        lock (_lock)
        {
            var now = CatchUp();
            if (!_byId.TryGetValue(orderId, out var order) || order.SupplierId != supplierId)
            {
                return null;
            }

            var current = OrderLifecycle.Describe(order, now, trackingBase);
            if (current.Status is OrderStatus.Shipped or OrderStatus.Delivered or OrderStatus.Rejected)
            {
                return new CancelResult(false, current);
            }

            if (order.CancelledAt is null)
            {
                foreach (var line in order.Lines.Where(l => l.Status == OrderStatus.Accepted))
                {
                    _stock[supplierId][line.Sku] += line.Quantity;
                }

                order.CancelledAt = now;
                _unsettled.Remove(order);
            }

            return new CancelResult(true, OrderLifecycle.Describe(order, now, trackingBase));
        }
    }

    internal ShipmentDto? FindShipment(string trackingNumber, string trackingBase)
    {
        lock (_lock)
        {
            var now = CatchUp();
            var shipment = _byId.Values.SelectMany(o => o.Shipments).FirstOrDefault(s => s.TrackingNumber == trackingNumber);
            return shipment is null ? null : OrderLifecycle.DescribeShipment(shipment, now, trackingBase);
        }
    }

    internal List<CatalogItemDto> Catalogue(string supplierId)
    {
        lock (_lock)
        {
            CatchUp();
            var supplier = Catalog.Suppliers[supplierId];
            return supplier.Products
                .Select(p => new CatalogItemDto(p.Sku, p.Name, _stock[supplierId][p.Sku], p.UnitPrice, supplier.ShippingPrice, Catalog.Currency))
                .ToList();
        }
    }

    internal List<StockLevelDto> Stock(string supplierId, IEnumerable<string?> skus)
    {
        lock (_lock)
        {
            CatchUp();
            var stock = _stock[supplierId];
            return skus.Distinct().Where(s => s is not null && stock.ContainsKey(s)).Select(s => new StockLevelDto(s!, stock[s!])).ToList();
        }
    }

    /// <summary>Sets one item's stock (tests and demos: a catalogue that went stale). False when the supplier does not list it.</summary>
    public bool SetStock(string supplierId, string sku, int level)
    {
        lock (_lock)
        {
            if (!_stock.TryGetValue(supplierId, out var stock) || !stock.ContainsKey(sku))
            {
                return false;
            }

            stock[sku] = level;
            return true;
        }
    }

    internal List<LedgerEntryDto> Ledger()
    {
        lock (_lock)
        {
            return _placements
                .Select(o => new LedgerEntryDto(o.SupplierId, o.Id, o.Reference, o.IdempotencyKey, o.Requests, o.CreatedAt))
                .ToList();
        }
    }

    /// <summary>Sets every item of every supplier to <paramref name="level"/>.</summary>
    public void Restock(int level)
    {
        lock (_lock)
        {
            _stock = FullStock(level);
        }
    }

    /// <summary>Forgets every order and placement and restores stock. Id sequences carry on, so an old id never names a new order.</summary>
    public void Reset()
    {
        lock (_lock)
        {
            _byId.Clear();
            _byKey.Clear();
            _byReference.Clear();
            _placements.Clear();
            _unsettled.Clear();
            _stock = FullStock(knobs.Current.Stock ?? 0);
        }
    }

    private DateTimeOffset CatchUp()
    {
        var now = OrderLifecycle.Millis(time.GetUtcNow());
        var current = knobs.Current;
        foreach (var order in _unsettled)
        {
            _lifecycle.Advance(order, current, _stock[order.SupplierId], now);
        }

        _unsettled.RemoveAll(o => o.IsSettled);
        return now;
    }

    private static Dictionary<string, Dictionary<string, int>> FullStock(int level) =>
        Catalog.Suppliers.Values.ToDictionary(s => s.Id, s => s.Products.ToDictionary(p => p.Sku, _ => level));
}

internal enum PlaceOutcome
{
    Created,
    Replayed,
    ReferenceConflict,
}

internal sealed record PlaceResult(PlaceOutcome Outcome, SupplierOrderDto Order);

internal sealed record CancelResult(bool Cancelled, SupplierOrderDto Order);
