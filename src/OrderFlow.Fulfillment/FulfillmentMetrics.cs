using System.Diagnostics.Metrics;

namespace OrderFlow.Fulfillment;

/// <summary>OpenTelemetry metrics of the drop-shipping domain (meter "OrderFlow.Fulfillment").</summary>
public sealed class FulfillmentMetrics
{
    public const string MeterName = "OrderFlow.Fulfillment";

    private readonly Counter<long> _received;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _placements;
    private readonly Counter<long> _badAnswers;
    private readonly Counter<long> _webhookDeliveries;
    private readonly Counter<long> _notifications;
    private readonly Histogram<double> _outboxLag;
    private readonly Histogram<double> _intakeLag;
    private readonly Meter _meter;

    public FulfillmentMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _received = _meter.CreateCounter<long>("orderflow.orders.received", "{order}", "Orders accepted by intake.");
        _rejected = _meter.CreateCounter<long>("orderflow.intake.rejected", "{request}", "Intake requests refused, by reason.");
        _duplicates = _meter.CreateCounter<long>("orderflow.intake.duplicates", "{request}", "Intake requests for an order already received.");
        _placements = _meter.CreateCounter<long>("orderflow.supplier.placements", "{order}", "Supplier order placements, by supplier and result.");
        _badAnswers = _meter.CreateCounter<long>("orderflow.supplier.bad_answers", "{answer}", "Supplier answers refused (too large, unreadable or invalid), by supplier and call.");
        _webhookDeliveries = _meter.CreateCounter<long>("orderflow.webhooks.deliveries", "{delivery}", "Storefront webhook attempts, by result.");
        _notifications = _meter.CreateCounter<long>("orderflow.notifications", "{notification}", "Customer notifications, by channel and result.");
        _intakeLag = _meter.CreateHistogram<double>("orderflow.intake.lag", "ms", "Time from an order's acknowledgement to its storing and workflow start.");
        _outboxLag = _meter.CreateHistogram<double>("orderflow.outbox.lag", "ms", "Time from an outbox row becoming due to its first send attempt.");
    }

    /// <summary>Registers the gauge of orders per status (<see cref="Orders.OrdersByStatusGauge"/> reads them).</summary>
    public void ObserveOrdersByStatus(Func<IEnumerable<Measurement<long>>> observe) =>
        _meter.CreateObservableGauge("orderflow.orders.by_status", observe, "{order}", "Orders per status.");

    public void OrderReceived(string merchantId) => _received.Add(1, new KeyValuePair<string, object?>("merchant", merchantId));

    public void IntakeRejected(string reason) => _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void IntakeDuplicate() => _duplicates.Add(1);

    public void Placement(string supplierId, string result) =>
        _placements.Add(1, new KeyValuePair<string, object?>("supplier", supplierId), new KeyValuePair<string, object?>("result", result));

    public void SupplierBadAnswer(string supplierId, string call) =>
        _badAnswers.Add(1, new KeyValuePair<string, object?>("supplier", supplierId), new KeyValuePair<string, object?>("call", call));

    public void WebhookDelivery(string result) => _webhookDeliveries.Add(1, new KeyValuePair<string, object?>("result", result));

    public void Notification(string channel, string result) =>
        _notifications.Add(1, new KeyValuePair<string, object?>("channel", channel), new KeyValuePair<string, object?>("result", result));

    public void IntakeLag(TimeSpan lag) => _intakeLag.Record(Math.Max(0, lag.TotalMilliseconds));

    public void OutboxLag(TimeSpan lag) => _outboxLag.Record(Math.Max(0, lag.TotalMilliseconds));
}
