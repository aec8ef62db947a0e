using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using OrderFlow.Engine.Persistence;
using OrderFlow.Engine.Runtime;
using OrderFlow.Fulfillment.Orders;

namespace OrderFlow.Fulfillment.Outbox;

/// <summary>
/// Sends what the outbox holds (storefront webhooks and customer e-mails and SMS) after the transactions that wrote it commit.
/// Every process runs one; rows are claimed with SKIP LOCKED, so each is sent by one process at a time: webhooks by their
/// locks, held while the round is sent (a process that dies mid-send lets go of them with its connection), e-mails and SMS
/// with a lease that another process takes over when it runs out. While this process writes outbox rows
/// (<see cref="OutboxWake"/>) it looks every <see cref="BusyPoll"/>; otherwise every second (due retries, rows written by
/// other processes), and at once on a NOTIFY (replays).
/// </summary>
public sealed class OutboxPump(NpgsqlDataSource dataSource, WebhookSender webhooks, NotificationSender notifications, OutboxWake written,
    BurstThrottle throttle, ILogger<OutboxPump> logger) : BackgroundService
{
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan BusyPoll = TimeSpan.FromMilliseconds(100);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var wake = new SemaphoreSlim(0);
        _ = ListenAsync(wake, stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // While a surge of webhooks has stopped this process's bursts (see BurstThrottle), the deliveries wait too.
                await throttle.WaitTurnAsync(0, stoppingToken);
                var sent = await webhooks.SendDueAsync(stoppingToken) + await notifications.SendDueAsync(stoppingToken);
                if (sent > 0)
                {
                    continue;
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Outbox round failed; trying again shortly");
            }

            try
            {
                await wake.WaitAsync(written.TouchedWithin(TimeSpan.FromSeconds(2)) ? BusyPoll : Idle, stoppingToken);
                while (wake.CurrentCount > 0)
                {
                    await wake.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ListenAsync(SemaphoreSlim wake, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(ct);
                connection.Notification += (_, _) => wake.Release();
                await using (var listen = new NpgsqlCommand($"LISTEN {StatusPublisher.OutboxChannel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(ct);
                }

                try
                {
                    while (!ct.IsCancellationRequested)
                    {
                        await connection.WaitAsync(ct);
                    }
                }
                finally
                {
                    // The pool does not reset connections: the next user of this one must not get our notifications.
                    if (connection.State == System.Data.ConnectionState.Open)
                    {
                        await SessionState.GiveBackAsync(connection, "UNLISTEN *");
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Without notifications the pump still polls every second; reconnect quietly.
                logger.LogDebug(e, "Outbox listener lost its connection; reconnecting");
                await Task.Delay(TimeSpan.FromSeconds(2), ct).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
