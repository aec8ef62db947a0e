using System.Text.Json.Nodes;
using Dapper;
using Hangfire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using OrderFlow.Engine.Persistence;
using OrderFlow.Engine.Runtime;
using OrderFlow.Fulfillment.Activities;
using OrderFlow.Fulfillment.Notifications;
using OrderFlow.Fulfillment.Orders;
using OrderFlow.Fulfillment.Suppliers;

namespace OrderFlow.Fulfillment.Tracking;

/// <summary>
/// The recurring tracking sweep: one batched status call per supplier for those of its active orders that are due (so the
/// cost grows with suppliers and active parcels, not one job per parcel), applying what changed and waking the orders'
/// workflows. Each polled order gets its next poll time from <see cref="PollSchedule"/>: soon when a parcel is out for
/// delivery, rarer the longer its news sits. Also carries requested cancellations to the suppliers. Safe to run on several
/// processes and to run twice.
/// </summary>
public sealed class TrackingPollJob(
    NpgsqlDataSource dataSource,
    SupplierClients clients,
    IWorkflowRuntime workflows,
    StatusPublisher publisher,
    CustomerNotifier notifier,
    StaleTrackingDetector staleness,
    PartialShipments partialShipments,
    BurstThrottle throttle,
    IOptions<FulfillmentOptions> options,
    TimeProvider clock,
    ILogger<TrackingPollJob> logger)
{
    public const string RecurringJobId = "tracking-poll";
    private const int BatchSize = 500;

    /// <summary>
    /// Supplier orders whose news is applied in one transaction, each under a savepoint so one bad answer spoils nothing
    /// else. Below 64 on purpose: PostgreSQL caches 64 subtransactions per transaction in shared memory; one more and, while
    /// the transaction runs, every other session's snapshot is "overflowed" and its visibility checks look transactions up
    /// in <c>pg_subtrans</c>, a cost that grows with sessions and load (with 100, a quick bench run made 2.0 million such
    /// lookups, against 10,000 with 48; see docs/benchmarks-history.md).
    /// </summary>
    private const int ApplyBatchSize = 48;

    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(CancellationToken ct)
    {
        // A surge of webhooks whose acknowledgements are slow has stopped this process's bursts: the news waits for the
        // next sweep rather than take the cores from the merchants (see BurstThrottle).
        if (throttle.Allowed == 0)
        {
            return;
        }

        // A sweep still running (here or on another process) has it in hand: this one returns rather than queue behind it.
        await using var single = await SingleRun.TryAcquireAsync(dataSource, "fulfillment.tracking-poll", ct);
        if (single is null)
        {
            return;
        }

        var active = await LoadActiveAsync(null, null, clock.GetUtcNow(), ct);

        var sweeps = active.GroupBy(a => a.SupplierId).Select(g => PollSupplierAsync(g.Key, g.ToList(), ct));
        var changed = (await Task.WhenAll(sweeps)).Sum();
        // After the news is applied, so a parcel that just spoke is not reported as quiet.
        await staleness.RunAsync(ct);
        if (changed > 0)
        {
            logger.LogInformation("Tracking sweep applied changes to {Count} supplier orders of {Due} due", changed, active.Count);
        }
    }

    /// <summary>
    /// Brings one supplier order up to date now (a supplier's callback said it changed): asks the supplier for its state,
    /// never trusting the callback's body, and applies it like the sweep would. False when we have no such active order.
    /// </summary>
    public async Task<bool> RefreshAsync(string supplierId, string supplierOrderId, CancellationToken ct)
    {
        var order = (await LoadActiveAsync(supplierId, supplierOrderId, null, ct)).SingleOrDefault();
        if (order is null)
        {
            return false;
        }

        var api = await clients.ForAsync(supplierId, ct);
        if (order.Status == "cancel_requested")
        {
            await CancelAtSupplierAsync(api, order, ct);
            return true;
        }

        var dto = (await api.GetStatusesAsync([supplierOrderId], ct)).SingleOrDefault();
        var changed = dto is not null && HasChanged(order, dto) && await ApplyAsync(order, dto, ct);
        await ScheduleAsync([(order, dto, changed)], new HashSet<Guid>(), ct);
        return true;
    }

    /// <summary>Active supplier orders: one by its supplier id, or all that are due at <paramref name="dueAt"/>.</summary>
    private async Task<List<ActiveSupplierOrder>> LoadActiveAsync(string? supplierId, string? supplierOrderId, DateTimeOffset? dueAt, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<ActiveSupplierOrder>(new CommandDefinition("""
            SELECT so.id AS Id, so.order_id AS OrderId, so.supplier_id AS SupplierId, so.supplier_order_id AS SupplierOrderId, so.status AS Status,
                   o.workflow_instance_id AS InstanceId, coalesce(so.tracking_changed_at, so.placed_at, so.updated_at) AS ChangedAt,
                   (SELECT coalesce(string_agg(p.supplier_shipment_id || ':' || p.status || ':' ||
                        (SELECT count(*) FROM fulfillment.tracking_events e WHERE e.parcel_id = p.id), ',' ORDER BY p.supplier_shipment_id), '')
                    FROM fulfillment.parcels p WHERE p.supplier_order_id = so.id) AS Fingerprint
            FROM fulfillment.supplier_orders so JOIN fulfillment.orders o ON o.id = so.order_id
            WHERE so.status IN ('pending', 'accepted', 'shipped', 'cancel_requested') AND so.supplier_order_id IS NOT NULL
              AND (@supplierId::text IS NULL OR (so.supplier_id = @supplierId AND so.supplier_order_id = @supplierOrderId))
              AND (@dueAt::timestamptz IS NULL OR so.status = 'cancel_requested' OR so.next_poll_at IS NULL OR so.next_poll_at <= @dueAt)
            """, new { supplierId, supplierOrderId, dueAt }, cancellationToken: ct))).ToList();
    }

    private async Task<int> PollSupplierAsync(string supplierId, List<ActiveSupplierOrder> orders, CancellationToken ct)
    {
        try
        {
            var api = await clients.ForAsync(supplierId, ct);
            var changed = 0;
            foreach (var cancel in orders.Where(o => o.Status == "cancel_requested"))
            {
                changed += await CancelAtSupplierAsync(api, cancel, ct) ? 1 : 0;
            }

            foreach (var chunk in orders.Where(o => o.Status != "cancel_requested").Chunk(BatchSize))
            {
                var answer = await api.GetStatusesAsync([.. chunk.Select(o => o.SupplierOrderId)], ct);
                var byId = answer.ToDictionary(i => i.Id, StringComparer.Ordinal);
                var polled = chunk.Select(o => (Order: o, Dto: byId.GetValueOrDefault(o.SupplierOrderId))).ToList();
                var applied = new HashSet<Guid>();
                var busy = new HashSet<Guid>();
                foreach (var batch in polled.Where(x => x.Dto is not null && HasChanged(x.Order, x.Dto)).Select(x => (x.Order, x.Dto!)).Chunk(ApplyBatchSize))
                {
                    var outcome = await ApplyManyAsync(batch, skipBusy: true, ct);
                    applied.UnionWith(outcome.Applied);
                    busy.UnionWith(outcome.Busy);
                }

                changed += applied.Count;
                await ScheduleAsync([.. polled.Select(x => (x.Order, x.Dto, applied.Contains(x.Order.Id)))], busy, ct);
            }

            return changed;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // One supplier's outage must not stop the sweep of the others; the next sweep tries again.
            logger.LogWarning(e, "Tracking sweep of supplier {SupplierId} failed", supplierId);
            return 0;
        }
    }

    /// <summary>
    /// Tells the supplier an order is cancelled. When the supplier refuses (it has already shipped), the refusal is recorded
    /// and the supplier order goes back to being tracked as it really is, instead of asking again on every sweep.
    /// </summary>
    private async Task<bool> CancelAtSupplierAsync(ISupplierConnector api, ActiveSupplierOrder order, CancellationToken ct)
    {
        try
        {
            return await ApplyAsync(order, await api.CancelAsync(order.SupplierOrderId, ct), ct);
        }
        catch (Refit.ApiException e) when ((int)e.StatusCode is >= 400 and < 500)
        {
            var current = (await api.GetStatusesAsync([order.SupplierOrderId], ct)).FirstOrDefault();
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE fulfillment.supplier_orders SET status = coalesce(@status, 'cancel_refused'), updated_at = @now WHERE id = @Id AND status = 'cancel_requested'",
                new { order.Id, status = current?.Status, now = clock.GetUtcNow() }, cancellationToken: ct));
            var applied = current is not null && await ApplyAsync(order, current, ct);
            // Recorded after applying the supplier's view, which carries no message of ours.
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE fulfillment.supplier_orders SET rejection_message = @message WHERE id = @Id",
                new { order.Id, message = $"Cancellation refused by the supplier (HTTP {(int)e.StatusCode})." }, cancellationToken: ct));
            logger.LogWarning("Supplier {SupplierId} refused to cancel {SupplierOrderId}: HTTP {Status}", order.SupplierId, order.SupplierOrderId, (int)e.StatusCode);
            return applied;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // One failed cancellation must not stop the sweep of the supplier's other orders; the next sweep asks again.
            logger.LogWarning(e, "Cancelling {SupplierOrderId} at supplier {SupplierId} failed; will retry", order.SupplierOrderId, order.SupplierId);
            return false;
        }
    }

    /// <summary>Sets when each polled order is next due (<see cref="PollSchedule"/>), in one statement per batch.</summary>
    private async Task ScheduleAsync(IReadOnlyList<(ActiveSupplierOrder Order, SupplierOrderDto? Dto, bool Changed)> polled, IReadOnlySet<Guid> dueAgain, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        // News left for a busy instance is due again at once: the next sweep applies it.
        var next = polled.Select(p => dueAgain.Contains(p.Order.Id) ? now : now + PollSchedule.Interval(p.Dto?.Status ?? p.Order.Status,
            (p.Dto?.Shipments ?? []).Select(s => ParcelStatuses.Normalize(s.Status)),
            p.Changed ? TimeSpan.Zero : now - new DateTimeOffset(p.Order.ChangedAt, TimeSpan.Zero), options.Value)).ToArray();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE fulfillment.supplier_orders so
            SET next_poll_at = r.next_poll_at, tracking_changed_at = CASE WHEN r.changed THEN @now ELSE coalesce(so.tracking_changed_at, so.placed_at, @now) END
            FROM unnest(@ids::uuid[], @next::timestamptz[], @changed::boolean[]) AS r(id, next_poll_at, changed)
            WHERE so.id = r.id
            """, new { now, ids = polled.Select(p => p.Order.Id).ToArray(), next, changed = polled.Select(p => p.Changed).ToArray() }, cancellationToken: ct));
    }

    private static bool HasChanged(ActiveSupplierOrder order, SupplierOrderDto dto)
    {
        var fingerprint = string.Join(',', (dto.Shipments ?? []).OrderBy(s => s.Id, StringComparer.Ordinal)
            .Select(s => $"{s.Id}:{ParcelStatuses.Normalize(s.Status)}:{s.Events?.Count ?? 0}"));
        return dto.Status != order.Status || fingerprint != order.Fingerprint;
    }

    private async Task<bool> ApplyAsync(ActiveSupplierOrder order, SupplierOrderDto dto, CancellationToken ct) =>
        (await ApplyManyAsync([(order, dto)], skipBusy: false, ct)).Applied.Count == 1;

    /// <summary>
    /// Applies the news of several supplier orders in one transaction, each under its instance's lock (taken in id order, as
    /// every resume does, so they never deadlock) and its own savepoint; then wakes the instances. With
    /// <paramref name="skipBusy"/>, orders whose instance is in a burst right now are left for the next sweep (Busy) rather
    /// than waited for: one slow burst must not hold up the news of the whole batch, nor the batch's locks the other bursts.
    /// </summary>
    private async Task<(IReadOnlyCollection<Guid> Applied, IReadOnlyCollection<Guid> Busy)> ApplyManyAsync(
        IReadOnlyList<(ActiveSupplierOrder Order, SupplierOrderDto Dto)> news, bool skipBusy, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var locked = await workflows.LockManyAsync(news.Select(n => n.Order.InstanceId).OfType<Guid>().Distinct().ToList(), skipBusy, connection, tx, ct);

        var resumes = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        var applied = new List<Guid>();
        var busy = new List<Guid>();
        var savepoints = new SavepointChain(tx, "apply", ct);
        foreach (var (order, dto) in news)
        {
            if (order.InstanceId is { } instanceId && !locked.Contains(instanceId))
            {
                busy.Add(order.Id);
                continue;
            }

            using var scope = logger.BeginScope(new Dictionary<string, object?> { ["OrderId"] = order.OrderId, ["WorkflowInstanceId"] = order.InstanceId });
            await savepoints.BeginAsync();
            try
            {
                await ApplyOneAsync(connection, tx, order, dto, ct);
                // The order's workflow is told after the batch, all at once (two statements, not two per order); an order
                // with two supplier orders in the batch wakes once, with the first one's news.
                resumes.TryAdd(order.OrderId.ToString(), new JsonObject { ["supplierOrder"] = dto.Id, ["status"] = dto.Status });
                applied.Add(order.Id);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                await savepoints.RollbackAsync();
                logger.LogWarning(e, "Applying supplier order {SupplierOrderId} of supplier {SupplierId} failed; the next sweep tries again", order.SupplierOrderId, order.SupplierId);
            }
        }

        // Outside the orders' savepoints: a failure here is the database's, not one order's news, and the whole batch is
        // tried again by the next sweep.
        var woken = await workflows.ResumeAsync(OrderWorkflow.UpdatedBookmark, [.. resumes.Select(r => (r.Key, r.Value))], connection, tx, ct);
        await tx.CommitAsync(ct);
        workflows.Dispatch(woken.Distinct());
        return (applied, busy);
    }

    /// <summary>One supplier order's news, in the caller's transaction (its instance already locked; the caller wakes it).</summary>
    private async Task ApplyOneAsync(NpgsqlConnection connection, NpgsqlTransaction tx, ActiveSupplierOrder order, SupplierOrderDto dto, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var changes = await SupplierOrderSync.ApplyAsync(connection, tx, order.Id, order.SupplierId, dto, now, ct);
        foreach (var change in changes)
        {
            await publisher.PublishEventAsync(connection, tx, order.OrderId, "shipment.updated", $"parcel_{change.ParcelId:N}_{change.Current}", new JsonObject
            {
                ["parcel"] = new JsonObject { ["carrier"] = change.Carrier, ["trackingNumber"] = change.TrackingNumber, ["status"] = change.Current, ["previousStatus"] = change.Previous },
            }, ct);
            // In the same transaction as the status change: a repeated sweep records nothing new (one per order and message).
            if (ParcelNotifications.TemplateFor(change.Current) is { } template)
            {
                await notifier.RecordAsync(connection, tx, order.OrderId, template, ct, change.ParcelId);
            }
        }

        await partialShipments.PublishIfPartialAsync(connection, tx, order.OrderId, ct);
    }

    private sealed record ActiveSupplierOrder(Guid Id, Guid OrderId, string SupplierId, string SupplierOrderId, string Status, Guid? InstanceId, DateTime ChangedAt, string Fingerprint);
}
