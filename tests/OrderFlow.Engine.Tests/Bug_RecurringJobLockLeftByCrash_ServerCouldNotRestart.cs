using Hangfire;
using Hangfire.Common;
using Hangfire.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using OrderFlow.Engine.Hangfire;

namespace OrderFlow.Engine.Tests;

/// <summary>
/// Found by the chaos suite: a server killed with SIGKILL while it held a recurring job's distributed lock left the lock
/// behind; the restarted server's start-up registration waited for it, timed out and crashed the host, so the process could
/// not come back until the lock expired. Registration now never fails the start and retries in the background.
/// </summary>
public sealed class Bug_RecurringJobLockLeftByCrash_ServerCouldNotRestart
{
    [Fact]
    public async Task Register_LockHeldByADeadProcess_StartContinuesAndRegistersOnceTheLockIsGone()
    {
        var jobs = new LockedRecurringJobs(failures: 2);

        var background = RecurringJobRegistration.RegisterAsync(jobs, j => j.AddOrUpdate("sweep", Job.FromExpression(() => Console.WriteLine()), Cron.Minutely()),
            NullLogger.Instance, TimeSpan.FromMilliseconds(10));

        Assert.Empty(jobs.Registered);
        await background.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["sweep"], jobs.Registered);
        Assert.Equal(3, jobs.Attempts);
    }

    [Fact]
    public void Register_NoContention_RegistersAtOnce()
    {
        var jobs = new LockedRecurringJobs(failures: 0);

        var background = RecurringJobRegistration.RegisterAsync(jobs, j => j.AddOrUpdate("sweep", Job.FromExpression(() => Console.WriteLine()), Cron.Minutely()), NullLogger.Instance);

        Assert.True(background.IsCompletedSuccessfully);
        Assert.Equal(["sweep"], jobs.Registered);
    }

    private sealed class LockedRecurringJobs(int failures) : IRecurringJobManager
    {
        public List<string> Registered { get; } = [];
        public int Attempts { get; private set; }

        public void AddOrUpdate(string recurringJobId, Job job, string cronExpression, RecurringJobOptions options)
        {
            if (++Attempts <= failures)
            {
                throw new DistributedLockTimeoutException($"recurring-job:{recurringJobId}");
            }

            Registered.Add(recurringJobId);
        }

        public void Trigger(string recurringJobId) => throw new NotSupportedException();

        public void RemoveIfExists(string recurringJobId) => throw new NotSupportedException();
    }
}
