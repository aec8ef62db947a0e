using System.Net;
using System.Text;
using OrderFlow.Server.Tests.Support;
using OrderFlow.Testing;

namespace OrderFlow.Server.Tests;

/// <summary>Intake over HTTP: limits, platform pings and problem details, on a server with tight rate limits.</summary>
public sealed class IntakeHttpTests(TestDatabase db) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private ServerFactory _server = null!;

    public Task InitializeAsync()
    {
        _server = new ServerFactory(db.ConnectionString, new Dictionary<string, string?>
        {
            ["OrderFlow:Intake:RateLimits:PerMerchantPerSecond"] = "1",
            ["OrderFlow:Intake:RateLimits:PerMerchantBurst"] = "3",
            ["OrderFlow:Fulfillment:MaxIntakeBodyBytes"] = "2048",
        });
        _ = _server.Server;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Intake_MerchantOverItsRate_429WithRetryAfterOtherMerchantUnaffected()
    {
        var client = _server.CreateClient();

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 5; i++)
        {
            answers.Add(await client.PostAsync("/webhooks/busy-shop/orders", new StringContent("{}", Encoding.UTF8, "application/json")));
        }

        var other = await client.PostAsync("/webhooks/quiet-shop/orders", new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.All(answers.Take(3), a => Assert.Equal(HttpStatusCode.Unauthorized, a.StatusCode));
        var limited = answers.Last();
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, other.StatusCode);
    }

    [Fact]
    public async Task Intake_BodyOverLimit_413ProblemDetails()
    {
        var response = await _server.CreateClient().PostAsync("/webhooks/big-shop/orders", new StringContent(new string('x', 5000), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task WooCommerce_PingWhenWebhookSaved_AcknowledgedWithoutSignature()
    {
        var response = await _server.CreateClient().PostAsync("/webhooks/woo-shop/woocommerce/orders",
            new StringContent("webhook_id=42", Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
