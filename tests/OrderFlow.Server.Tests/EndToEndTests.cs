using System.Net;
using Microsoft.AspNetCore.Builder;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MimeKit;
using OrderFlow.Server.Tests.Support;
using OrderFlow.SupplierSimulator;
using OrderFlow.Testing;
using SimulatorWebhooks = OrderFlow.SupplierSimulator.StandardWebhooks;

namespace OrderFlow.Server.Tests;

/// <summary>
/// The whole spine: signed orders posted to the real server, the simulator's suppliers accept, ship and deliver them, and
/// the simulator's storefront receives every status webhook (verified with its own Standard Webhooks implementation).
/// </summary>
public sealed class EndToEndTests(TestDatabase db) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private const string MerchantId = "demo-shop";
    private const string IntakeSecret = "whsec_ZW5kLXRvLWVuZC1pbnRha2Utc2VjcmV0LWZvci10ZXN0cw==";
    private const int OrderCount = 6;
    private static readonly string[] Lifecycle = ["order.received", "order.routed", "order.placed", "order.shipped", "order.delivered"];

    private readonly string _mail = Path.Combine(Path.GetTempPath(), "orderflow-e2e-" + Guid.NewGuid().ToString("N"));
    private WebApplication _simulator = null!;
    private ServerFactory _server = null!;

    public async Task InitializeAsync()
    {
        _simulator = SimulatorApp.Create(["--fast", "--Simulator:Seed=42"]);
        _simulator.Urls.Add("http://127.0.0.1:0");
        await _simulator.StartAsync();
        _server = new ServerFactory(db.ConnectionString, new Dictionary<string, string?>
        {
            ["OrderFlow:Demo:Enabled"] = "true",
            ["OrderFlow:Demo:SimulatorBaseUrl"] = _simulator.BaseAddress(),
            ["OrderFlow:Demo:IntakeSecret"] = IntakeSecret,
            ["OrderFlow:Mail:PickupDirectory"] = _mail,
            ["OrderFlow:Fulfillment:TrackingPollSeconds"] = "1",
        });
        _ = _server.Server;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _simulator.DisposeAsync();
        if (Directory.Exists(_mail))
        {
            Directory.Delete(_mail, recursive: true);
        }
    }

    [Fact]
    public async Task SignedOrders_SimulatedSuppliersDeliver_StorefrontGotEveryStatusInSequenceAndCustomerGotEmails()
    {
        var intake = _server.CreateClient();
        var rng = new Random(7);
        var orders = Enumerable.Range(1, OrderCount).Select(n => DemoOrders.Create(n, rng, $"e2e-{Guid.NewGuid():N}-")).ToList();

        var ids = new Dictionary<string, string>();
        foreach (var order in orders)
        {
            var body = DemoOrders.ToJson(order);
            var webhookId = "msg_" + Guid.NewGuid().ToString("N");
            var now = DateTimeOffset.UtcNow;
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/{MerchantId}/orders") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
            request.Headers.Add("webhook-id", webhookId);
            request.Headers.Add("webhook-timestamp", now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add("webhook-signature", SimulatorWebhooks.Sign(IntakeSecret, webhookId, now, body));
            var response = await intake.SendAsync(request);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            ids[order.OrderId] = (await response.Content.ReadFromJsonAsync<JsonObject>())!["orderId"]!.GetValue<string>();
        }

        var ops = _server.ClientAs("viewer");
        var deadline = DateTime.UtcNow.AddSeconds(120);
        long delivered = 0;
        while (DateTime.UtcNow < deadline && delivered < OrderCount)
        {
            await Task.Delay(500);
            var stats = await ops.GetFromJsonAsync<JsonObject>("/api/orders/stats");
            delivered = stats!["byStatus"]!["delivered"]!.GetValue<long>();
        }

        Assert.Equal(OrderCount, delivered);
        var storefront = new HttpClient { BaseAddress = new Uri(_simulator.BaseAddress()) };
        foreach (var (merchantOrderId, orderId) in ids)
        {
            var received = await WaitForWebhooksAsync(storefront, orderId, "order.delivered");
            Assert.All(received, w => Assert.True(w["signatureValid"]!.GetValue<bool>(), $"invalid signature on {w["type"]} of {merchantOrderId}"));
            var sequences = received.Select(w => w["sequence"]!.GetValue<long>()).ToList();
            Assert.Equal(sequences.Order(), sequences);
            Assert.Equal(sequences.Count, sequences.Distinct().Count());
            Assert.Equal(Enumerable.Range(1, sequences.Count).Select(i => (long)i), sequences);
            var statusTypes = received.Select(w => w["type"]!.GetValue<string>()).Where(t => t.StartsWith("order.", StringComparison.Ordinal)).ToList();
            // Partially shipped, after placed, when one supplier's parcel was seen before another's.
            Assert.Equal(Lifecycle, statusTypes.Where(t => t != "order.partially_shipped"));
            Assert.True(statusTypes.IndexOf("order.partially_shipped") is -1 or 3, string.Join(", ", statusTypes));

            // The e-mails go out through the notification outbox, on their own schedule: waited for, like the webhooks.
            var subjects = await WaitForMailAsync(merchantOrderId, "is on its way", "has been delivered");
            var customer = orders.Single(o => o.OrderId == merchantOrderId).Customer.Email;
            Assert.Single(subjects, m => (m.Subject ?? "").Contains("is on its way", StringComparison.Ordinal) && m.To.Mailboxes.Single().Address == customer);
            Assert.Single(subjects, m => (m.Subject ?? "").Contains("has been delivered", StringComparison.Ordinal) && m.To.Mailboxes.Single().Address == customer);
        }

        var details = await ops.GetFromJsonAsync<JsonObject>($"/api/orders/{ids.Values.First()}");
        Assert.Equal("delivered", details!["status"]!.GetValue<string>());
        Assert.NotEmpty(details["parcels"]!.AsArray());
        Assert.All(details["deliveries"]!.AsArray(), d => Assert.Equal("delivered", d!["status"]!.GetValue<string>()));
    }

    /// <summary>The storefront's deliveries for an order, in the order received, once the given type arrived (the outbox is asynchronous).</summary>
    /// <summary>The order's e-mails once one of each subject has been written (or after 20 s, for the asserts to say what is missing).</summary>
    private async Task<List<MimeMessage>> WaitForMailAsync(string merchantOrderId, params string[] subjects)
    {
        for (var i = 0; ; i++)
        {
            var mail = Directory.GetFiles(_mail, "*.eml").Select(f => MimeMessage.Load(f))
                .Where(m => (m.Subject ?? "").Contains(merchantOrderId, StringComparison.Ordinal)).ToList();
            if (i == 100 || subjects.All(s => mail.Any(m => (m.Subject ?? "").Contains(s, StringComparison.Ordinal))))
            {
                return mail;
            }

            await Task.Delay(200);
        }
    }

    private static async Task<List<JsonNode>> WaitForWebhooksAsync(HttpClient storefront, string orderId, string last)
    {
        for (var i = 0; i < 100; i++)
        {
            var inbox = await storefront.GetFromJsonAsync<JsonObject>($"/storefront/{MerchantId}/webhooks?orderId={orderId}");
            var items = inbox!["items"]!.AsArray().Select(n => n!).ToList();
            if (items.Any(w => w["type"]?.GetValue<string>() == last))
            {
                return items;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"The storefront never received {last} for order {orderId}.");
    }
}
