using System.Text.Json.Serialization;

namespace OrderFlow.Fulfillment.Tracking;

/// <summary>An AfterShip tracking webhook (<c>event: tracking_update</c>): the tracking with its checkpoints.</summary>
public sealed record AfterShipWebhook(
    [property: JsonPropertyName("event_id")] string? EventId,
    [property: JsonPropertyName("event")] string? Event,
    [property: JsonPropertyName("msg")] AfterShipTracking? Msg);

public sealed record AfterShipTracking(
    [property: JsonPropertyName("tracking_number")] string? TrackingNumber,
    [property: JsonPropertyName("slug")] string? Slug,
    [property: JsonPropertyName("tag")] string? Tag,
    [property: JsonPropertyName("expected_delivery")] string? ExpectedDelivery,
    [property: JsonPropertyName("checkpoints")] IReadOnlyList<AfterShipCheckpoint>? Checkpoints);

public sealed record AfterShipCheckpoint(
    [property: JsonPropertyName("checkpoint_time")] DateTimeOffset CheckpointTime,
    [property: JsonPropertyName("tag")] string? Tag,
    [property: JsonPropertyName("location")] string? Location,
    [property: JsonPropertyName("message")] string? Message);
