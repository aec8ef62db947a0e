using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OrderFlow.Fulfillment.Orders;

/// <summary>
/// The gauge <c>orderflow.orders.by_status</c>: orders per status, all merchants, from the counts the console's Orders page
/// reads (<see cref="OrderQueries.StatsAsync"/>). A gauge's callback runs when a collector asks (the OTLP exporter every
/// minute by default) and must not block it, so it answers with the last counts read and, when those are older than
/// <see cref="MaxAge"/>, starts one read in the background: with no collector the database is never asked, and with one
/// it is asked at most once per <see cref="MaxAge"/>, whatever the collector's interval. The first collection after the
/// start has no counts yet. Every server process reports the same database-wide counts (take one, not their sum).
/// </summary>
public sealed class OrdersByStatusGauge(OrderQueries queries, FulfillmentMetrics metrics, TimeProvider clock, ILogger<OrdersByStatusGauge> logger) : IHostedService, IDisposable
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(15);

    private readonly CancellationTokenSource _stopping = new();
    private OrderStats? _last;
    private long _readAt;
    private int _reading;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        metrics.ObserveOrdersByStatus(Observe);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await _stopping.CancelAsync();

    public void Dispose() => _stopping.Dispose();

    private IEnumerable<Measurement<long>> Observe()
    {
        if ((Volatile.Read(ref _last) is null || clock.GetElapsedTime(Volatile.Read(ref _readAt)) >= MaxAge)
            && !_stopping.IsCancellationRequested && Interlocked.CompareExchange(ref _reading, 1, 0) == 0)
        {
            _ = RefreshAsync();
        }

        return Volatile.Read(ref _last) is { } stats
            ? [.. stats.ByStatus.Select(s => new Measurement<long>(s.Value, new KeyValuePair<string, object?>("status", s.Key)))]
            : [];
    }

    private async Task RefreshAsync()
    {
        try
        {
            var stats = await queries.StatsAsync(_stopping.Token);
            Volatile.Write(ref _readAt, clock.GetTimestamp());
            Volatile.Write(ref _last, stats);
        }
        catch (Exception e)
        {
            // The last counts stay; the next collection tries again. Stopping cancels a read: nothing to say then.
            if (!_stopping.IsCancellationRequested)
            {
                logger.LogWarning("Reading the orders per status for the gauge failed ({ErrorType}: {Error})", e.GetType().Name, e.Message);
            }
        }
        finally
        {
            Volatile.Write(ref _reading, 0);
        }
    }
}
