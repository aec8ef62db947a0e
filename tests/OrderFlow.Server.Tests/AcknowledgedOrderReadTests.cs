using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using OrderFlow.Server.Tests.Support;
using OrderFlow.Testing;
using static OrderFlow.Server.Tests.Security.AttackKit;

namespace OrderFlow.Server.Tests;

/// <summary>
/// The 202's <c>Location</c> answers at once: an order acknowledged but still waiting in the intake inbox (here because a
/// surge holds the materializer back, as it does in production) is stored when it is read, not reported missing.
/// </summary>
public sealed class AcknowledgedOrderReadTests(TestDatabase db) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private const string Merchant = "read-shop";
    private readonly ForegroundSurge _surge = new();
    private ServerFactory _server = null!;
    private WebApplicationFactory<Program> _app = null!;

    public Task InitializeAsync()
    {
        _server = new ServerFactory(db.ConnectionString);
        _app = _server.WithWebHostBuilder(b => b.ConfigureTestServices(_surge.AddTo));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task GetOrder_AcknowledgedStillInInbox_200WithTheOrderAndStoredOnce()
    {
        var admin = ClientAs("admin");
        var created = await admin.PostAsJsonAsync("/api/merchants", new { id = Merchant, name = Merchant });
        var secret = (string)(await created.Content.ReadFromJsonAsync<JsonObject>())!["secret"]!;
        _surge.StopBursts();

        var accepted = await _app.CreateClient().SendAsync(Standard($"/webhooks/{Merchant}/orders", secret, OrderJson("read-1", lines: 2)));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var location = accepted.Headers.Location!.ToString();
        var orderId = (Guid)(await accepted.Content.ReadFromJsonAsync<JsonObject>())!["orderId"]!;
        await Task.Delay(500);
        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM fulfillment.orders WHERE id = @id", orderId));
        Assert.Equal(1L, await CountAsync("SELECT count(*) FROM fulfillment.intake_events WHERE order_id = @id AND payload IS NOT NULL", orderId));

        var read = await ClientAs("viewer").GetAsync(location);
        var again = await ClientAs("viewer").GetFromJsonAsync<JsonObject>(location);

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        var order = (await read.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(orderId, (Guid)order["id"]!);
        Assert.Equal("read-1", (string)order["merchantOrderId"]!);
        Assert.Equal("received", (string)order["status"]!);
        Assert.Equal(2, order["lines"]!.AsArray().Count);
        Assert.NotNull(order["workflowInstanceId"]);
        Assert.Equal(orderId, (Guid)again!["id"]!);
        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM fulfillment.intake_events WHERE order_id = @id AND payload IS NOT NULL", orderId));
        Assert.Equal(1L, await CountAsync("SELECT count(*) FROM engine.workflow_instances WHERE correlation_id = @id::text", orderId));
        Assert.Equal(HttpStatusCode.NotFound, (await ClientAs("viewer").GetAsync($"/api/orders/{Guid.NewGuid()}")).StatusCode);
        _surge.End();
    }

    // On the host with the surge's throttle: the factory's own ClientAs would start a second host with a free materializer.
    private HttpClient ClientAs(string user) => ServerFactory.As(_app.CreateClient(), user);

    private async Task<long> CountAsync(string sql, Guid id)
    {
        await using var command = db.DataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("id", id);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
