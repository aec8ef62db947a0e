using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace OrderFlow.Fulfillment.Intake;

/// <summary>An acknowledged order as the inbox keeps it until the materializer stores it.</summary>
public sealed record InboxEntry(string MerchantId, string Format, string WebhookId, string MerchantOrderId, Guid OrderId, DateTimeOffset ReceivedAt, string Payload);

/// <summary>
/// Group commit for intake: orders that arrive together are made durable by one multi-row INSERT into
/// <c>fulfillment.intake_events</c>, a single statement and so a single commit and WAL flush for all of them. A webhook id
/// or merchant order id seen before (in the inbox or among stored orders) is not inserted; <see cref="StoreAsync"/>
/// then answers false. Up to <see cref="Flushers"/> inserts run at once; while they run, the next orders queue and go
/// together in the next one, so the batch grows with the load and a lone order waits for nobody.
/// </summary>
public sealed class IntakeInbox : IAsyncDisposable
{
    public const int Flushers = 2;
    public const int MaxBatch = 256;

    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger<IntakeInbox> _logger;
    private readonly Channel<Waiting> _queue = Channel.CreateUnbounded<Waiting>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });
    private readonly CancellationTokenSource _stop = new();
    private readonly Lazy<Task[]> _flushers;

    public IntakeInbox(NpgsqlDataSource dataSource, ILogger<IntakeInbox> logger)
    {
        _dataSource = dataSource;
        _logger = logger;
        _flushers = new Lazy<Task[]>(() => [.. Enumerable.Range(0, Flushers).Select(_ => Task.Run(FlushLoopAsync))]);
    }

    /// <summary>
    /// Durably stores <paramref name="entry"/>; true when it was new, false when its webhook id or merchant order id was
    /// seen before. The write is not cancelled with the caller: once queued, the order is stored whether or not anyone
    /// waits for the answer (a retried webhook then finds it as a duplicate).
    /// </summary>
    public Task<bool> StoreAsync(InboxEntry entry, CancellationToken ct)
    {
        _ = _flushers.Value;
        var waiting = new Waiting(entry);
        if (!_queue.Writer.TryWrite(waiting))
        {
            throw new ObjectDisposedException(nameof(IntakeInbox));
        }

        return waiting.Done.Task.WaitAsync(ct);
    }

    private async Task FlushLoopAsync()
    {
        var batch = new List<Waiting>(MaxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(_stop.Token))
            {
                batch.Clear();
                while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var waiting))
                {
                    batch.Add(waiting);
                }

                if (batch.Count > 0)
                {
                    await FlushAsync(batch);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    private async Task FlushAsync(List<Waiting> batch)
    {
        try
        {
            var stored = await InsertAsync(batch);
            foreach (var waiting in batch)
            {
                waiting.Done.TrySetResult(stored.Contains(waiting.Entry.OrderId));
            }
        }
        catch (PostgresException e) when (batch.Count > 1 && !e.IsTransient)
        {
            // One order's data failed the statement (validation should have caught it): each alone, so only that one fails.
            _logger.LogWarning("An intake batch of {Count} failed with {SqlState}; storing its orders one by one", batch.Count, e.SqlState);
            foreach (var waiting in batch)
            {
                await FlushAsync([waiting]);
            }
        }
        catch (Exception e)
        {
            foreach (var waiting in batch)
            {
                waiting.Done.TrySetException(e);
            }
        }
    }

    /// <summary>One statement for the whole batch; returns the order ids inserted.</summary>
    private async Task<HashSet<Guid>> InsertAsync(List<Waiting> batch)
    {
        await using var command = _dataSource.CreateCommand("""
            INSERT INTO fulfillment.intake_events (merchant_id, format, webhook_id, merchant_order_id, order_id, received_at, payload)
            SELECT i.merchant_id, i.format, i.webhook_id, i.merchant_order_id, i.order_id, i.received_at, i.payload
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::uuid[], $6::timestamptz[], $7::text[])
                AS i(merchant_id, format, webhook_id, merchant_order_id, order_id, received_at, payload)
            WHERE NOT EXISTS (SELECT 1 FROM fulfillment.orders o WHERE o.merchant_id = i.merchant_id AND o.merchant_order_id = i.merchant_order_id)
            ON CONFLICT DO NOTHING
            RETURNING order_id
            """);
        command.Parameters.Add(new() { Value = batch.Select(w => w.Entry.MerchantId).ToArray() });
        command.Parameters.Add(new() { Value = batch.Select(w => w.Entry.Format).ToArray() });
        command.Parameters.Add(new() { Value = batch.Select(w => w.Entry.WebhookId).ToArray() });
        command.Parameters.Add(new() { Value = batch.Select(w => w.Entry.MerchantOrderId).ToArray() });
        command.Parameters.Add(new() { Value = batch.Select(w => w.Entry.OrderId).ToArray() });
        command.Parameters.Add(new() { Value = batch.Select(w => w.Entry.ReceivedAt).ToArray() });
        command.Parameters.Add(new() { Value = batch.Select(w => w.Entry.Payload).ToArray() });
        var stored = new HashSet<Guid>();
        await using var reader = await command.ExecuteReaderAsync(_stop.Token);
        while (await reader.ReadAsync(_stop.Token))
        {
            stored.Add(reader.GetGuid(0));
        }

        return stored;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_flushers.IsValueCreated)
        {
            // Orders already queued are still written; then the loops end.
            await Task.WhenAll(_flushers.Value).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await _stop.CancelAsync();
        _stop.Dispose();
    }

    private sealed class Waiting(InboxEntry entry)
    {
        public InboxEntry Entry { get; } = entry;
        public TaskCompletionSource<bool> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
