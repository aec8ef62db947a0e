namespace OrderFlow.Fulfillment.Webhooks;

/// <summary>A storefront webhook subscription as the API shows it: never with its secret.</summary>
public sealed record WebhookSubscriptionView
{
    public Guid Id { get; init; }
    public string MerchantId { get; init; } = "";
    public string Url { get; init; } = "";
    public string? Description { get; init; }
    /// <summary>Event types sent; null for all.</summary>
    public string[]? EventTypes { get; init; }
    public bool Enabled { get; init; }
    public string? DisabledReason { get; init; }
    public DateTime? DisabledAt { get; init; }
    /// <summary>When deliveries started failing without a success since; the endpoint is disabled after the grace period.</summary>
    public DateTime? FailingSince { get; init; }
    public DateTime CreatedAt { get; init; }
}

/// <summary>A new subscription with its signing secret, shown this once.</summary>
public sealed record CreatedWebhookSubscription(WebhookSubscriptionView Subscription, string Secret);

/// <summary>A subscription's fields to change; null leaves one as it is.</summary>
public sealed record WebhookSubscriptionChange(string? Url, string? Description, string[]? EventTypes, bool? Enabled);

/// <summary>One delivery of one event to one subscription, with its latest outcome.</summary>
public sealed record WebhookDeliveryLogEntry
{
    public long Id { get; init; }
    public Guid SubscriptionId { get; init; }
    public string EventId { get; init; } = "";
    public string EventType { get; init; } = "";
    public Guid OrderId { get; init; }
    public int Sequence { get; init; }
    public string Status { get; init; } = "";
    public int Attempts { get; init; }
    public int Replays { get; init; }
    public int? LastStatusCode { get; init; }
    public string? LastError { get; init; }
    public DateTime NextAttemptAt { get; init; }
    public DateTime? DeliveredAt { get; init; }
    public DateTime CreatedAt { get; init; }
}

/// <summary>Something the merchant must be told, such as an endpoint that was disabled.</summary>
public sealed record MerchantNotice(long Id, string MerchantId, string Kind, string? SubjectId, string Message, DateTime CreatedAt);
