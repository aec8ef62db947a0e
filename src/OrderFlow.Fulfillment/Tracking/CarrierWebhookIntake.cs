using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using OrderFlow.Engine.Runtime;
using OrderFlow.Fulfillment.Activities;
using OrderFlow.Fulfillment.Intake;
using OrderFlow.Fulfillment.Notifications;
using OrderFlow.Fulfillment.Orders;

namespace OrderFlow.Fulfillment.Tracking;

/// <summary>
/// Tracking pushed by a carrier aggregator in AfterShip's format: the signature (base64 HMAC-SHA256 of the raw body in
/// <c>aftership-hmac-sha256</c>) is checked in constant time before parsing; an event id seen before changes nothing;
/// checkpoints are deduped per parcel and the status only moves forward, as with polled tracking.
/// </summary>
public sealed class CarrierWebhookIntake(
    NpgsqlDataSource dataSource,
    IWorkflowRuntime workflows,
    StatusPublisher publisher,
    CustomerNotifier notifier,
    TimeProvider clock,
    IOptions<CarrierWebhookOptions> options,
    ILogger<CarrierWebhookIntake> logger)
{
    public const string SignatureHeader = "aftership-hmac-sha256";

    public static string Sign(string secret, ReadOnlySpan<byte> body) => Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    public async Task<CarrierWebhookOutcome> ReceiveAfterShipAsync(byte[] body, string? signature, CancellationToken ct)
    {
        if (options.Value.AfterShipSecret is not { Length: > 0 } secret || signature is null
            || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(secret, body)), Encoding.ASCII.GetBytes(signature.Trim())))
        {
            return CarrierWebhookOutcome.Unauthorized;
        }

        AfterShipWebhook? webhook;
        try
        {
            webhook = JsonSerializer.Deserialize<AfterShipWebhook>(body);
        }
        catch (JsonException)
        {
            return CarrierWebhookOutcome.Invalid;
        }

        if (webhook is not { EventId: { Length: > 0 } eventId, Msg: { TrackingNumber: { Length: > 0 } trackingNumber } tracking }
            || !new[] { eventId, trackingNumber, tracking.Slug, tracking.Tag, tracking.ExpectedDelivery }
                .Concat((tracking.Checkpoints ?? []).SelectMany(c => new[] { c?.Tag, c?.Location, c?.Message })).All(StorableText.IsStorable)
            || tracking.Checkpoints?.Any(c => c is null) == true || eventId.Length > 200 || trackingNumber.Length > 100)
        {
            return CarrierWebhookOutcome.Invalid;
        }

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow();
        if (await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO fulfillment.carrier_webhook_events (provider, event_id, received_at) VALUES ('aftership', @eventId, @now) ON CONFLICT DO NOTHING
                """, new { eventId, now }, tx, cancellationToken: ct)) == 0)
        {
            return CarrierWebhookOutcome.Duplicate;
        }

        var parcel = await connection.QuerySingleOrDefaultAsync<ParcelRow>(new CommandDefinition("""
            SELECT p.id AS Id, p.order_id AS OrderId, p.supplier_order_id AS SupplierOrderId, p.status AS Status, p.carrier AS Carrier, p.line_ids AS LineIds,
                   o.workflow_instance_id AS InstanceId
            FROM fulfillment.parcels p JOIN fulfillment.orders o ON o.id = p.order_id
            WHERE p.tracking_number = @trackingNumber ORDER BY p.created_at DESC LIMIT 1
            """, new { trackingNumber }, tx, cancellationToken: ct));
        if (parcel is null)
        {
            // Recorded as seen: AfterShip would otherwise resend a tracking we do not follow.
            await tx.CommitAsync(ct);
            logger.LogInformation("Carrier webhook {EventId} for unknown tracking number {TrackingNumber}", eventId, trackingNumber);
            return CarrierWebhookOutcome.UnknownParcel;
        }

        if (parcel.InstanceId is { } instanceId)
        {
            await workflows.LockAsync(instanceId, connection, tx, ct);
        }

        var checkpoints = tracking.Checkpoints ?? [];
        var next = AfterShipStatuses.Map(tracking.Tag);
        var forward = ParcelStatuses.IsForward(parcel.Status, next);
        DateTimeOffset? eta = DateTimeOffset.TryParse(tracking.ExpectedDelivery, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed.ToUniversalTime() : null;
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO fulfillment.tracking_events (parcel_id, event_id, status, occurred_at, location, message)
            SELECT @Id, e.id, e.status, e.occurred_at, e.location, e.message
            FROM unnest(@ids::text[], @statuses::text[], @times::timestamptz[], @locations::text[], @messages::text[]) AS e(id, status, occurred_at, location, message)
            ON CONFLICT DO NOTHING;
            UPDATE fulfillment.parcels SET status = CASE WHEN @forward THEN @next ELSE status END, estimated_delivery = coalesce(@eta, estimated_delivery),
                last_event_at = greatest(last_event_at, @lastEvent), updated_at = @now
            WHERE id = @Id;
            UPDATE fulfillment.order_lines SET status = 'delivered'
            WHERE @forward AND @next = 'Delivered' AND supplier_order_id = @SupplierOrderId AND line_id = ANY (@LineIds) AND status IN ('accepted', 'placed', 'shipped');
            """, new
        {
            parcel.Id, parcel.SupplierOrderId, parcel.LineIds, forward, next, eta, now,
            // AfterShip checkpoints have no id: time and tag identify one, so a resent tracking adds nothing.
            ids = checkpoints.Select(c => $"as_{c.CheckpointTime.ToUnixTimeMilliseconds()}_{c.Tag}").ToArray(),
            statuses = checkpoints.Select(c => AfterShipStatuses.Map(c.Tag)).ToArray(),
            times = checkpoints.Select(c => c.CheckpointTime.ToUniversalTime()).ToArray(),
            locations = checkpoints.Select(c => c.Location).ToArray(),
            messages = checkpoints.Select(c => c.Message).ToArray(),
            lastEvent = checkpoints.Count > 0 ? checkpoints.Max(c => c.CheckpointTime).ToUniversalTime() : (DateTimeOffset?)null,
        }, tx, cancellationToken: ct));

        IReadOnlyList<Guid> woken = [];
        if (forward)
        {
            await publisher.PublishEventAsync(connection, tx, parcel.OrderId, "shipment.updated", $"parcel_{parcel.Id:N}_{next}", new JsonObject
            {
                ["parcel"] = new JsonObject { ["carrier"] = parcel.Carrier, ["trackingNumber"] = trackingNumber, ["status"] = next, ["previousStatus"] = parcel.Status },
            }, ct);
            if (ParcelNotifications.TemplateFor(next) is { } template)
            {
                await notifier.RecordAsync(connection, tx, parcel.OrderId, template, ct, parcel.Id);
            }

            woken = await workflows.ResumeAsync(OrderWorkflow.UpdatedBookmark, parcel.OrderId.ToString(), new JsonObject { ["parcel"] = parcel.Id, ["status"] = next }, connection, tx, ct);
        }

        await tx.CommitAsync(ct);
        workflows.Dispatch(woken);
        return CarrierWebhookOutcome.Applied;
    }

    private sealed record ParcelRow
    {
        public Guid Id { get; init; }
        public Guid OrderId { get; init; }
        public Guid SupplierOrderId { get; init; }
        public string Status { get; init; } = "";
        public string Carrier { get; init; } = "";
        public string[] LineIds { get; init; } = [];
        public Guid? InstanceId { get; init; }
    }
}
