using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OrderFlow.Fulfillment.Suppliers;
using OrderFlow.Fulfillment.Tests.Support;
using OrderFlow.Fulfillment.Tracking;
using OrderFlow.Testing;

namespace OrderFlow.Fulfillment.Tests.Tracking;

/// <summary>The tracking sweep polls each supplier order when it is due (soon when out for delivery, rarer as it sits), batched per supplier.</summary>
public sealed class AdaptivePollingTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    private static readonly FulfillmentOptions Defaults = new();

    [Theory]
    [InlineData("shipped", ParcelStatuses.OutForDelivery, 3_600, 300)]
    [InlineData("shipped", ParcelStatuses.AttemptFail, 86_400, 300)]
    [InlineData("shipped", ParcelStatuses.InTransit, 60, 1_800)]
    [InlineData("shipped", ParcelStatuses.InTransit, 4 * 3_600, 3_600)]
    [InlineData("shipped", ParcelStatuses.InTransit, 3 * 86_400, 21_600)]
    [InlineData("accepted", null, 3_600, 1_800)]
    [InlineData("pending", null, 10, 30)]
    [InlineData("pending", null, 600, 150)]
    [InlineData("cancel_requested", null, 86_400, 0)]
    public void Interval_StatusAndTimeSinceChange_DueAfter(string status, string? parcel, int sinceChangeSeconds, int expectedSeconds)
    {
        var interval = PollSchedule.Interval(status, parcel is null ? [] : [parcel, ParcelStatuses.Delivered], TimeSpan.FromSeconds(sinceChangeSeconds), Defaults);

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), interval);
    }

    [Fact]
    public async Task Sweep_OutForDeliveryAndIdleInTransit_OutForDeliveryDueSoonerAndOneBatchedCallPerSupplier()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var requests = new ConcurrentQueue<string>();
        await using var world = await SimulatedWorld.StartAsync(db.ConnectionString, new Dictionary<string, string?>
        {
            ["OrderFlow:Fulfillment:PollPendingSeconds"] = $"{Defaults.PollPendingSeconds}",
            ["OrderFlow:Fulfillment:PollOutForDeliverySeconds"] = $"{Defaults.PollOutForDeliverySeconds}",
            ["OrderFlow:Fulfillment:PollInTransitSeconds"] = $"{Defaults.PollInTransitSeconds}",
            ["OrderFlow:Fulfillment:PollIdleMaxSeconds"] = $"{Defaults.PollIdleMaxSeconds}",
        }, clock, services => services.AddHttpClient(SupplierClients.HttpClientName).AddHttpMessageHandler(() => new Recording(requests)));
        // Four days from hand-over to delivery: out for delivery after 2 2/3 days.
        await world.SetKnobsAsync(new { transitSeconds = 4 * 86_400.0, splitShipmentRate = 0.0 });
        var early = await world.SubmitAsync(SampleOrders.Valid("AP-1", ("MUG-RED", 1)));
        await world.DriveUntilAsync(() => PlacedAsync(world, early));
        clock.Advance(TimeSpan.FromDays(1));
        var late = await world.SubmitAsync(SampleOrders.Valid("AP-2", ("MUG-RED", 1)));
        var other = await world.SubmitAsync(SampleOrders.Valid("AP-3", ("CAP-GREEN", 1)));
        await world.DriveUntilAsync(async () => await PlacedAsync(world, late) && await PlacedAsync(world, other));
        clock.Advance(TimeSpan.FromHours(41));

        requests.Clear();
        await world.SweepAsync();
        var first = requests.ToArray();
        // PostgreSQL keeps microseconds.
        var now = new DateTimeOffset(clock.GetUtcNow().Ticks / 10 * 10, TimeSpan.Zero);
        var earlyDue = await NextPollAsync(world, early);
        var lateDue = await NextPollAsync(world, late);
        clock.Advance(TimeSpan.FromMinutes(6));
        requests.Clear();
        await world.SweepAsync();
        var second = requests.ToArray();

        Assert.Equal(ParcelStatuses.OutForDelivery, await ParcelStatusAsync(world, early));
        Assert.Equal(ParcelStatuses.InTransit, await ParcelStatusAsync(world, late));
        Assert.Equal(["POST /suppliers/acme/orders/status", "POST /suppliers/globex/orders/status"], first.Order());
        Assert.Equal(now + TimeSpan.FromMinutes(5), earlyDue);
        Assert.Equal(now + TimeSpan.FromMinutes(30), lateDue);
        Assert.Equal(["POST /suppliers/acme/orders/status"], second);
        Assert.Equal(lateDue, await NextPollAsync(world, late));
    }

    private static async Task<bool> PlacedAsync(SimulatedWorld world, Guid orderId) =>
        await world.Host.ScalarAsync<long>("SELECT count(*) FROM fulfillment.supplier_orders WHERE order_id = @o AND supplier_order_id IS NOT NULL", ("o", orderId)) > 0;

    private static async Task<DateTimeOffset> NextPollAsync(SimulatedWorld world, Guid orderId) =>
        new(await world.Host.ScalarAsync<DateTime>("SELECT next_poll_at FROM fulfillment.supplier_orders WHERE order_id = @o", ("o", orderId)), TimeSpan.Zero);

    private static Task<string?> ParcelStatusAsync(SimulatedWorld world, Guid orderId) =>
        world.Host.ScalarAsync<string>("SELECT status FROM fulfillment.parcels WHERE order_id = @o", ("o", orderId));

    /// <summary>Notes every supplier request (method and path) the host makes.</summary>
    private sealed class Recording(ConcurrentQueue<string> requests) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            requests.Enqueue($"{request.Method} {request.RequestUri!.AbsolutePath}");
            return base.SendAsync(request, cancellationToken);
        }
    }
}
