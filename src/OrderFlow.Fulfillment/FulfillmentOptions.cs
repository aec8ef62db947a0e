using System.ComponentModel.DataAnnotations;

namespace OrderFlow.Fulfillment;

/// <summary>Settings of the drop-shipping domain, bound from <c>OrderFlow:Fulfillment</c>.</summary>
public sealed class FulfillmentOptions
{
    public const string Section = "OrderFlow:Fulfillment";

    /// <summary>How often active supplier orders are polled for decisions, shipments and tracking (one batched call per supplier).</summary>
    [Range(1, 3600)]
    public int TrackingPollSeconds { get; set; } = 5;

    /// <summary>
    /// Adaptive tracking: a supplier order awaiting the supplier's decision is asked about at most this often. Like the
    /// in-transit interval it stretches while nothing changes (a quarter of the time since the last change, up to
    /// <see cref="PollIdleMaxSeconds"/>). 0 asks on every sweep.
    /// </summary>
    [Range(0, 604_800)]
    public int PollPendingSeconds { get; set; } = 30;

    /// <summary>A supplier order with a parcel out for delivery (or after a failed attempt) is asked about this often: news is imminent.</summary>
    [Range(0, 604_800)]
    public int PollOutForDeliverySeconds { get; set; } = 300;

    /// <summary>An accepted or shipped supplier order whose parcels are on their way is asked about at most this often, stretching while it sits.</summary>
    [Range(0, 604_800)]
    public int PollInTransitSeconds { get; set; } = 1_800;

    /// <summary>The longest a parcel that sits is left unasked.</summary>
    [Range(0, 604_800)]
    public int PollIdleMaxSeconds { get; set; } = 21_600;

    /// <summary>How often each supplier's catalogue (stock and prices) is synchronised.</summary>
    [Range(5, 86_400)]
    public int CatalogSyncSeconds { get; set; } = 300;

    /// <summary>A waiting order re-checks its suppliers' state at least this often, even if no event woke it.</summary>
    [Range(5, 86_400)]
    public int WaitFallbackSeconds { get; set; } = 120;

    /// <summary>Attempts at placing with an unreachable supplier before its lines are rerouted to the next one.</summary>
    [Range(1, 20)]
    public int PlacementAttemptsBeforeReroute { get; set; } = 3;

    /// <summary>Largest accepted intake webhook body, in bytes (bigger ones get 413).</summary>
    [Range(1_024, 10_485_760)]
    public int MaxIntakeBodyBytes { get; set; } = 256 * 1024;

    /// <summary>Base URL of this server as customers reach it: tracking links in e-mails point here.</summary>
    [Required, Url]
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:5080";

    /// <summary>Storefront webhook deliveries sent at once by one process.</summary>
    [Range(1, 1_000)]
    public int OutboxBatchSize { get; set; } = 100;

    /// <summary>Timeout of one HTTP attempt to a supplier, in seconds.</summary>
    [Range(1, 120)]
    public int SupplierAttemptTimeoutSeconds { get; set; } = 5;

    /// <summary>Timeout of a supplier call with its retries, in seconds.</summary>
    [Range(1, 600)]
    public int SupplierTotalTimeoutSeconds { get; set; } = 20;

    /// <summary>
    /// Timeout of one storefront webhook delivery, in seconds; also the longest a delivery round keeps its claim's
    /// transaction open (see <see cref="Outbox.WebhookSender"/>), so keep it short.
    /// </summary>
    [Range(1, 120)]
    public int WebhookTimeoutSeconds { get; set; } = 10;

    /// <summary>
    /// Allow storefront webhook URLs that resolve to private, loopback or link-local addresses (server-side request
    /// forgery otherwise). Only for development, demos and tests, where the storefront runs next to the server.
    /// </summary>
    public bool AllowPrivateWebhookTargets { get; set; }

    /// <summary>
    /// Allow supplier base URLs that resolve to private, loopback or link-local addresses, when saved and when connecting.
    /// Off in production: an admin account (or a stolen one) could otherwise point a supplier at cloud metadata or an
    /// internal service. On in <c>Demo</c> and <c>Testing</c>, where the supplier simulator runs on 127.0.0.1.
    /// </summary>
    public bool AllowPrivateSupplierTargets { get; set; }

    /// <summary>
    /// Largest supplier answer read, in bytes (the whole body, read within the attempt's timeout). A bigger one fails the
    /// attempt like a dropped connection: retried, then the supplier counts as unreachable for that call.
    /// </summary>
    [Range(16_384, 268_435_456)]
    public int MaxSupplierResponseBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>An endpoint that has failed every delivery for this many hours is disabled and its merchant told (5 days).</summary>
    [Range(1, 24 * 60)]
    public int WebhookDisableAfterFailingHours { get; set; } = 120;
}
