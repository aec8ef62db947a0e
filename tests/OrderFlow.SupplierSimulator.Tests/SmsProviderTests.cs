using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace OrderFlow.SupplierSimulator.Tests;

/// <summary>The fake SMS provider: bearer token, validation, idempotency key, failure knob, read-back.</summary>
public sealed class SmsProviderTests
{
    private static async Task<HttpResponseMessage> SendAsync(TestSimulator sim, object body, string token = "sim-sms-token", string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/sms/messages") { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await sim.Http.SendAsync(request);
    }

    private static async Task<JsonArray> MessagesAsync(TestSimulator sim, string query = "") =>
        (await sim.Http.GetFromJsonAsync<JsonObject>("/sms/messages" + query))!["items"]!.AsArray();

    [Fact]
    public async Task Send_ValidMessage_201AndReadBackByNumberAndReference()
    {
        await using var sim = await TestSimulator.StartAsync();

        using var response = await SendAsync(sim, new { to = "+4915112345678", from = "Shop", body = "Your order shipped.", reference = "n-1" });
        await SendAsync(sim, new { to = "+33612345678", body = "Another customer." });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        var mine = Assert.Single(await MessagesAsync(sim, "?to=%2B4915112345678"))!;
        Assert.Equal(id, (string)mine["id"]!);
        Assert.Equal("Your order shipped.", (string)mine["body"]!);
        Assert.Equal("n-1", (string)Assert.Single(await MessagesAsync(sim, "?reference=n-1"))!["reference"]!);
        Assert.Equal(2, (await MessagesAsync(sim)).Count);
        Assert.Equal(HttpStatusCode.OK, (await sim.Http.GetAsync($"/sms/messages/{id}")).StatusCode);
    }

    [Fact]
    public async Task Send_SameIdempotencyKeyTwice_OneMessageSameId()
    {
        await using var sim = await TestSimulator.StartAsync();
        var body = new { to = "+4915112345678", body = "Out for delivery." };

        using var first = await SendAsync(sim, body, idempotencyKey: "n-2");
        using var second = await SendAsync(sim, body, idempotencyKey: "n-2");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal((string)(await first.Content.ReadFromJsonAsync<JsonObject>())!["id"]!, (string)(await second.Content.ReadFromJsonAsync<JsonObject>())!["id"]!);
        Assert.Single(await MessagesAsync(sim));
    }

    [Fact]
    public async Task Send_WrongTokenOrBadNumberOrEmptyBody_RefusedAndNothingRecorded()
    {
        await using var sim = await TestSimulator.StartAsync();

        using var wrongToken = await SendAsync(sim, new { to = "+4915112345678", body = "Hi" }, token: "nope");
        using var invalid = await SendAsync(sim, new { to = "015112345678", body = " " });

        Assert.Equal(HttpStatusCode.Unauthorized, wrongToken.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var errors = (await invalid.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("to"));
        Assert.True(errors.ContainsKey("body"));
        Assert.Empty(await MessagesAsync(sim));
    }

    [Fact]
    public async Task Send_FailureKnobAndConfiguredToken_503ThenAcceptedWithTheOtherToken()
    {
        await using var sim = await TestSimulator.StartAsync(("Simulator:Sms:Token", "configured-token"));
        await sim.Http.PutAsJsonAsync("/admin/knobs", new { smsFailureRate = 1.0 });

        using var failing = await SendAsync(sim, new { to = "+4915112345678", body = "Hi" }, token: "configured-token");
        await sim.Http.PutAsJsonAsync("/admin/knobs", new { smsFailureRate = 0.0 });
        using var accepted = await SendAsync(sim, new { to = "+4915112345678", body = "Hi" }, token: "configured-token");
        await sim.Http.PostAsync("/admin/reset", null);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failing.StatusCode);
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        Assert.Empty(await MessagesAsync(sim));
    }
}
