using Dapper;
using Hangfire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using OrderFlow.Engine.Persistence;
using OrderFlow.Engine.Runtime;

namespace OrderFlow.Engine.Hangfire;

/// <summary>
/// Recurring safety net: dispatches instances whose work was committed but whose dispatch was lost (a crash between
/// commit and enqueue), and timers whose scheduled job went missing. Running it on several processes is harmless.
/// </summary>
public sealed class EngineSweepJob(NpgsqlDataSource dataSource, IBurstDispatcher dispatcher, TimeProvider clock, IOptions<EngineOptions> options, ILogger<EngineSweepJob> logger)
{
    public const string RecurringJobId = "engine-sweep";

    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var single = await SingleRun.TryAcquireAsync(dataSource, "engine.sweep", cancellationToken);
        if (single is null)
        {
            return;
        }

        var staleBefore = clock.GetUtcNow().AddSeconds(-options.Value.RedispatchAfterSeconds);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var ids = (await connection.QueryAsync<Guid>(new CommandDefinition("""
            SELECT id FROM engine.workflow_instances WHERE pending AND updated_at < @staleBefore
            UNION
            SELECT DISTINCT instance_id FROM engine.bookmarks WHERE resume_at < @staleBefore
            LIMIT 1000
            """, new { staleBefore }, cancellationToken: cancellationToken))).ToList();
        foreach (var id in ids)
        {
            dispatcher.Dispatch(id);
        }

        if (ids.Count > 0)
        {
            logger.LogInformation("Sweep re-dispatched {Count} instances with overdue work", ids.Count);
        }
    }
}
