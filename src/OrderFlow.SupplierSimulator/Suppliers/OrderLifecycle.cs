using OrderFlow.SupplierSimulator.Admin;

namespace OrderFlow.SupplierSimulator.Suppliers;

/// <summary>
/// The supplier's side of an order: accept or reject lines, hand parcels to a carrier, and describe the order as
/// it looks at a given moment. Called under <see cref="SupplierOrderBook"/>'s lock.
/// </summary>
internal sealed class OrderLifecycle(RandomSource random)
{
    private static readonly string[] Carriers = ["DHL", "DPD", "UPS"];
    private static readonly string[] Hubs = ["Leipzig, DE", "Kassel, DE", "Venlo, NL", "Lyon, FR", "Linz, AT", "Verona, IT"];

    /// <summary>Takes whatever decisions are due at <paramref name="now"/>, backdated to when they were due.</summary>
    public void Advance(StoredOrder order, Knobs knobs, Dictionary<string, int> stock, DateTimeOffset now)
    {
        if (order.CancelledAt is not null)
        {
            return;
        }

        if (order.DecidedAt is null)
        {
            var decideAt = Millis(order.CreatedAt + TimeSpan.FromSeconds(knobs.AcceptDelaySeconds));
            if (now < decideAt)
            {
                return;
            }

            Decide(order, knobs, stock, decideAt);
        }

        var accepted = order.Lines.Where(l => l.Status == OrderStatus.Accepted).ToList();
        if (order.ShippedAt is null && accepted.Count > 0)
        {
            var shipAt = Millis(order.DecidedAt!.Value + TimeSpan.FromSeconds(knobs.ShipDelaySeconds));
            if (now >= shipAt)
            {
                Ship(order, accepted, knobs, shipAt);
            }
        }
    }

    private void Decide(StoredOrder order, Knobs knobs, Dictionary<string, int> stock, DateTimeOffset decidedAt)
    {
        var supplier = Catalog.Suppliers[order.SupplierId];
        var country = order.ShipTo.Country ?? "";
        string? wholeOrderReason = knobs.IsUndeliverable(country) ? RejectionReason.Undeliverable
            : random.Chance(knobs.RejectRate) ? RejectionReason.Other
            : null;

        foreach (var line in order.Lines)
        {
            var reason = wholeOrderReason
                ?? (supplier.Find(line.Sku) is null ? RejectionReason.IneligibleProduct
                    : random.Chance(knobs.StockOutRate) || stock.GetValueOrDefault(line.Sku) < line.Quantity ? RejectionReason.OutOfStock
                    : null);
            if (reason is null)
            {
                stock[line.Sku] -= line.Quantity;
                line.Status = OrderStatus.Accepted;
            }
            else
            {
                line.Status = OrderStatus.Rejected;
                line.RejectionReason = reason;
            }
        }

        order.DecidedAt = decidedAt;
        var rejected = order.Lines.Where(l => l.Status == OrderStatus.Rejected).ToList();
        if (rejected.Count > 0)
        {
            var message = wholeOrderReason switch
            {
                RejectionReason.Undeliverable => $"We do not deliver to {country}.",
                RejectionReason.Other => "The supplier declined the order.",
                _ => $"{rejected.Count} of {order.Lines.Count} lines rejected: "
                     + string.Join(", ", rejected.Select(l => $"{l.LineRef} {l.Sku} ({l.RejectionReason})")),
            };
            order.Rejection = new RejectionDto(rejected[0].RejectionReason!, message, rejected.Select(l => l.LineRef).ToList());
        }
    }

    private void Ship(StoredOrder order, List<StoredLine> accepted, Knobs knobs, DateTimeOffset shippedAt)
    {
        var parcels = new List<List<StoredLine>> { accepted };
        if (accepted.Count >= 2 && random.Chance(knobs.SplitShipmentRate))
        {
            var cut = random.Next(1, accepted.Count);
            parcels = [accepted[..cut], accepted[cut..]];
        }

        var transit = TimeSpan.FromSeconds(knobs.TransitSeconds);
        var origin = Catalog.Suppliers[order.SupplierId].Warehouse;
        var destination = $"{order.ShipTo.City}, {order.ShipTo.Country}";
        for (var i = 0; i < parcels.Count; i++)
        {
            var id = $"shp-{order.Id}-{i + 1}";
            var carrier = random.Pick(Carriers);
            var trackingNumber = carrier + random.Next(100_000_000, 1_000_000_000).ToString("D9") + random.Next(100, 1000);
            (string Location, string Message)[] steps =
            [
                (origin, $"{carrier} received the shipment information"),
                (random.Pick(Hubs), "In transit: departed the sorting hub"),
                (destination, "Out for delivery"),
                (destination, "Delivered to the recipient"),
            ];
            var events = steps.Select((step, n) => new TrackingEventDto(
                $"evt-{id}-{n + 1}",
                ShipmentStatus.Sequence[n],
                Millis(shippedAt + transit * n / 3),
                step.Location,
                step.Message)).ToList();
            order.Shipments.Add(new StoredShipment(id, carrier, trackingNumber, parcels[i].Select(l => l.LineRef).ToList(), events));
        }

        order.ShippedAt = shippedAt;
    }

    /// <summary>Whole milliseconds, so times survive a round trip through JSON and PostgreSQL unchanged.</summary>
    public static DateTimeOffset Millis(DateTimeOffset t) => new(t.Ticks - t.Ticks % TimeSpan.TicksPerMillisecond, t.Offset);

    /// <summary>The order as the supplier reports it at <paramref name="now"/>: events later than now are not yet visible.</summary>
    public static SupplierOrderDto Describe(StoredOrder order, DateTimeOffset now, string trackingBase)
    {
        var shipments = order.Shipments.Select(s => DescribeShipment(s, now, trackingBase)).ToList();
        var status = order.CancelledAt is not null ? OrderStatus.Cancelled
            : order.DecidedAt is null ? OrderStatus.Pending
            : order.Lines.All(l => l.Status == OrderStatus.Rejected) ? OrderStatus.Rejected
            : order.ShippedAt is null ? OrderStatus.Accepted
            : order.Shipments.All(s => s.DeliveredAt <= now) ? OrderStatus.Delivered
            : OrderStatus.Shipped;

        var updatedAt = new[] { order.CreatedAt, order.DecidedAt, order.ShippedAt, order.CancelledAt }
            .Concat(shipments.SelectMany(s => s.Events).Select(e => (DateTimeOffset?)e.OccurredAt))
            .Max()!.Value;

        return new SupplierOrderDto(
            order.Id,
            order.Reference,
            status,
            order.CreatedAt,
            updatedAt,
            order.Rejection,
            order.Lines.Select(l => new OrderLineDto(l.LineRef, l.Sku, l.Quantity, l.Status, l.RejectionReason)).ToList(),
            shipments);
    }

    public static ShipmentDto DescribeShipment(StoredShipment shipment, DateTimeOffset now, string trackingBase)
    {
        var events = shipment.Events.Where(e => e.OccurredAt <= now).ToList();
        return new ShipmentDto(
            shipment.Id,
            shipment.Carrier,
            shipment.TrackingNumber,
            $"{trackingBase}/track/{shipment.TrackingNumber}",
            shipment.LineRefs,
            events.Count > 0 ? events[^1].Status : ShipmentStatus.InfoReceived,
            shipment.DeliveredAt,
            events);
    }
}
