namespace OrderFlow.Fulfillment.Outbox;

/// <summary>
/// Tells this process's outbox pump that rows are being written, without a NOTIFY inside the writing transaction: PostgreSQL
/// serialises the commits of every transaction that notified (a global lock held through the WAL flush), which would cap
/// intake and bursts at one commit at a time. The pump looks again within <see cref="OutboxPump.BusyPoll"/> while touched.
/// </summary>
public sealed class OutboxWake
{
    private long _touched = long.MinValue / 2;

    public void Touch() => Volatile.Write(ref _touched, Environment.TickCount64);

    public bool TouchedWithin(TimeSpan window) => Environment.TickCount64 - Volatile.Read(ref _touched) < window.TotalMilliseconds;
}
