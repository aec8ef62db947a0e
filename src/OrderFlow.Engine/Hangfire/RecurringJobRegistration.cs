using Hangfire;
using Microsoft.Extensions.Logging;

namespace OrderFlow.Engine.Hangfire;

/// <summary>
/// Registers recurring jobs at start-up without failing the start. A process killed while it held a recurring job's
/// distributed lock leaves that lock until it expires; a restart that waited for it would crash, and with every process
/// restarting the same way nothing would run. The registrations are already stored by whoever ran first, so a process that
/// cannot register now starts anyway and keeps trying in the background.
/// </summary>
public static class RecurringJobRegistration
{
    /// <summary>Runs <paramref name="register"/> now; on failure logs and retries every <paramref name="retryEvery"/> (10 s by default) until it succeeds.</summary>
    public static Task RegisterAsync(IRecurringJobManager jobs, Action<IRecurringJobManager> register, ILogger logger, TimeSpan? retryEvery = null)
    {
        if (TryRegister(jobs, register, logger, first: true))
        {
            return Task.CompletedTask;
        }

        return Task.Run(async () =>
        {
            do
            {
                await Task.Delay(retryEvery ?? TimeSpan.FromSeconds(10));
            }
            while (!TryRegister(jobs, register, logger, first: false));
        });
    }

    private static bool TryRegister(IRecurringJobManager jobs, Action<IRecurringJobManager> register, ILogger logger, bool first)
    {
        try
        {
            register(jobs);
            if (!first)
            {
                logger.LogInformation("Recurring jobs registered after a retry");
            }

            return true;
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Recurring jobs could not be registered (a lock left by a crashed process?); the stored registrations stay in force, retrying");
            return false;
        }
    }
}
