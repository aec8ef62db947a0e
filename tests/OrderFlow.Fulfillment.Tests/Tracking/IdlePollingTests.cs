using Microsoft.Extensions.Time.Testing;
using OrderFlow.Fulfillment.Tests.Support;
using OrderFlow.Fulfillment.Tracking;
using OrderFlow.Testing;

namespace OrderFlow.Fulfillment.Tests.Tracking;

/// <summary>A parcel that sits in transit is asked about ever more rarely, up to the ceiling.</summary>
public sealed class IdlePollingTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Sweep_ParcelSitsInTransit_PolledEverRarer()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var world = await SimulatedWorld.StartAsync(db.ConnectionString, new Dictionary<string, string?>
        {
            ["OrderFlow:Fulfillment:PollInTransitSeconds"] = "1800",
            ["OrderFlow:Fulfillment:PollIdleMaxSeconds"] = "21600",
        }, clock);
        await world.SetKnobsAsync(new { transitSeconds = 10 * 86_400.0 });
        var orderId = await world.SubmitAsync(SampleOrders.Valid("AP-4", ("MUG-RED", 1)));
        await world.DriveUntilAsync(async () => await ParcelStatusAsync(world, orderId) == ParcelStatuses.InfoReceived, tick: TimeSpan.FromMinutes(5));

        var intervals = new List<TimeSpan>();
        foreach (var sitting in new[] { TimeSpan.FromHours(1), TimeSpan.FromHours(8), TimeSpan.FromDays(2) })
        {
            clock.Advance(sitting);
            await world.SweepAsync();
            intervals.Add(await NextPollAsync(world, orderId) - new DateTimeOffset(clock.GetUtcNow().Ticks / 10 * 10, TimeSpan.Zero));
        }

        Assert.Equal(ParcelStatuses.InfoReceived, await ParcelStatusAsync(world, orderId));
        Assert.Equal(TimeSpan.FromMinutes(30), intervals[0]);
        Assert.InRange(intervals[1], TimeSpan.FromHours(2), TimeSpan.FromHours(2.5));
        Assert.Equal(TimeSpan.FromHours(6), intervals[2]);
    }

    private static async Task<DateTimeOffset> NextPollAsync(SimulatedWorld world, Guid orderId) =>
        new(await world.Host.ScalarAsync<DateTime>("SELECT next_poll_at FROM fulfillment.supplier_orders WHERE order_id = @o", ("o", orderId)), TimeSpan.Zero);

    private static Task<string?> ParcelStatusAsync(SimulatedWorld world, Guid orderId) =>
        world.Host.ScalarAsync<string>("SELECT status FROM fulfillment.parcels WHERE order_id = @o", ("o", orderId));
}
