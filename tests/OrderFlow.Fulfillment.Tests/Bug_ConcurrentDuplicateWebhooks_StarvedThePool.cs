using Npgsql;
using OrderFlow.Fulfillment.Intake;
using OrderFlow.Fulfillment.Tests.Support;
using OrderFlow.Testing;

namespace OrderFlow.Fulfillment.Tests;

/// <summary>
/// Found by the chaos suite: under 1,000 concurrent deliveries of one order webhook, every request holding a pooled connection
/// (the winner starting the workflow, the losers of the insert race looking the winner up) asked the pool for a second one,
/// so the pool ran dry and every answer was a 500 after its timeout. Intake now stays on the connection it holds.
/// </summary>
public sealed class Bug_ConcurrentDuplicateWebhooks_StarvedThePool(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Receive_ConcurrentDuplicatesOnASmallPool_OneOrderAndEveryAnswerSuccessful()
    {
        var small = new NpgsqlConnectionStringBuilder(db.ConnectionString) { MaxPoolSize = 3, Timeout = 5 }.ConnectionString;
        await using var host = await FulfillmentHost.StartAsync(small);
        var json = SampleOrders.Valid("POOL-1").ToJsonString();

        var results = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => Task.Run(() => host.Intake.ReceiveAsync(FulfillmentHost.MerchantId, host.Sign(json), default))));

        Assert.All(results, r => Assert.True(r.Outcome is IntakeOutcome.Accepted or IntakeOutcome.Duplicate));
        Assert.Single(results.Select(r => r.OrderId).Distinct());
        Assert.Equal(1L, await host.ScalarAsync<long>("SELECT count(*) FROM fulfillment.orders WHERE merchant_order_id = 'POOL-1'"));
    }
}
