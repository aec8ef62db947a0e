using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using OrderFlow.Fulfillment.Orders;
using OrderFlow.Fulfillment.Outbox;
using OrderFlow.Fulfillment.Tests.Support;
using OrderFlow.Fulfillment.Webhooks;
using OrderFlow.Testing;

namespace OrderFlow.Fulfillment.Tests.Notifications;

/// <summary>SMS through the simulator's provider, in the same outbox as e-mail: once per event, retried, visible per order.</summary>
public sealed class SmsNotificationTests(TestDatabase db) : IClassFixture<TestDatabase>, IDisposable
{
    private const string Phone = "+4915112345678";
    private readonly string _mail = Directory.CreateTempSubdirectory("orderflow-mail-").FullName;

    private Dictionary<string, string?> Settings => new()
    {
        ["OrderFlow:Sms:Enabled"] = "true",
        ["OrderFlow:Mail:PickupDirectory"] = _mail,
    };

    [Fact]
    public async Task Send_SmsOnForMerchant_ProviderGetsOneMessagePerEventAndOrderShowsEverySent()
    {
        await using var world = await StartWithSmsAsync();
        // Out for delivery lasts a third of the transit: 2 s here, so a sweep sees it even when the whole test suite
        // loads the machine (fast mode's 0.7 s was missed once in a full run, and then only 2 texts were sent).
        await world.SetKnobsAsync(new { transitSeconds = 6.0 });
        var orderId = await world.SubmitAsync(SampleOrders.Valid("SMS-1", ("MUG-RED", 1)));
        await world.DriveUntilAsync(async () => await world.OrderStatusAsync(orderId) == "delivered");

        await SendAllDueAsync(world);

        var texts = await TextsAsync(world, orderId);
        Assert.Equal(3, texts.Count);
        Assert.All(texts, t => Assert.Contains(": your order SMS-1 ", (string)t!["body"]!));
        Assert.Single(texts, t => ((string)t!["body"]!).Contains("out for delivery", StringComparison.Ordinal));
        var order = await world.Host.Services.GetRequiredService<OrderQueries>().GetAsync(orderId, default);
        var sms = order!.Notifications.Where(n => n.Channel == "sms").ToList();
        Assert.Equal(["delivered", "out_for_delivery", "shipped"], sms.Select(n => n.Template).Order());
        Assert.All(order.Notifications, n => Assert.Equal(("sent", 1), (n.Status, n.Attempts)));
        Assert.All(order.Notifications, n => Assert.NotNull(n.SentAt));
        Assert.All(sms, n => Assert.Equal("+49*******5678", n.Recipient));
        Assert.All(order.Notifications.Where(n => n.Channel == "email"), n => Assert.Equal("a***@example.com", n.Recipient));
        Assert.Equal(3, Directory.GetFiles(_mail, "*.eml").Length);
    }

    [Fact]
    public async Task Send_ProviderFailing_RetriedOnScheduleWithAttemptsAndErrorThenSentOnce()
    {
        await using var world = await StartWithSmsAsync();
        await world.SetKnobsAsync(new { smsFailureRate = 1.0, transitSeconds = 600.0 });
        var orderId = await ShippedOrderAsync(world, "SMS-2");
        var sender = world.Host.Services.GetRequiredService<NotificationSender>();

        await sender.SendDueAsync(default);
        var failed = await SmsOfAsync(world, orderId);
        await world.SetKnobsAsync(new { smsFailureRate = 0.0 });
        await sender.SendDueAsync(default);
        var notYetDue = await SmsOfAsync(world, orderId);
        world.Host.Clock.Advance(TimeSpan.FromSeconds(7));
        await sender.SendDueAsync(default);
        var sent = await SmsOfAsync(world, orderId);

        Assert.Equal(("retrying", 1), (failed.Status, failed.Attempts));
        Assert.Contains("503", failed.LastError);
        Assert.NotNull(failed.NextAttemptAt);
        Assert.Equal(("retrying", 1), (notYetDue.Status, notYetDue.Attempts));
        Assert.Equal(("sent", 2), (sent.Status, sent.Attempts));
        Assert.Null(sent.LastError);
        Assert.Single(await TextsAsync(world, orderId));
    }

    /// <summary>
    /// A provider outage fails every message at every attempt: a retried failure logs one line (type and message, no stack),
    /// the last attempt logs the exception, and a message the provider refuses logs its reason and is not retried.
    /// </summary>
    [Fact]
    public async Task Send_Failures_RetryLogsNoStack_LastAttemptLogsTheException_RejectionLogsTheReason()
    {
        await using var world = await StartWithSmsAsync(s => s.AddFakeLogging());
        await world.SetKnobsAsync(new { smsFailureRate = 1.0, transitSeconds = 600.0 });
        var outage = await ShippedOrderAsync(world, "SMS-3");
        var sender = world.Host.Services.GetRequiredService<NotificationSender>();

        await sender.SendDueAsync(default);
        for (var attempt = 2; attempt <= RetrySchedule.MaxAttempts; attempt++)
        {
            world.Host.Clock.Advance(TimeSpan.FromHours(13));
            await sender.SendDueAsync(default);
        }

        var given = await SmsOfAsync(world, outage);
        var records = world.Host.Services.GetFakeLogCollector().GetSnapshot().Where(r => r.Category == typeof(NotificationSender).FullName).ToList();
        var retries = records.Where(r => r.Level == LogLevel.Warning && r.Message.Contains("retrying in", StringComparison.Ordinal)).ToList();
        var last = Assert.Single(records, r => r.Level == LogLevel.Error);

        Assert.Equal(("failed", RetrySchedule.MaxAttempts), (given.Status, given.Attempts));
        Assert.Equal(RetrySchedule.MaxAttempts - 1, retries.Count);
        Assert.All(retries, r => Assert.Null(r.Exception));
        Assert.All(retries, r => Assert.Contains("(HttpRequestException: ", r.Message, StringComparison.Ordinal));
        Assert.All(retries, r => Assert.Contains("503", r.Message, StringComparison.Ordinal));
        Assert.Contains($"failed for good on attempt {RetrySchedule.MaxAttempts}", last.Message, StringComparison.Ordinal);
        Assert.IsType<HttpRequestException>(last.Exception);

        // The provider refuses a number that is not E.164 (400): rejected at once, with the provider's reason, no stack.
        var refused = await ShippedOrderAsync(world, "SMS-4");
        await world.Host.ExecuteAsync("UPDATE fulfillment.notifications SET recipient = '+0' WHERE order_id = @o AND channel = 'sms'", ("o", refused));
        await sender.SendDueAsync(default);

        var rejected = await SmsOfAsync(world, refused);
        var rejection = Assert.Single(world.Host.Services.GetFakeLogCollector().GetSnapshot(),
            r => r.Category == typeof(NotificationSender).FullName && r.Message.Contains("rejected on attempt 1", StringComparison.Ordinal));
        Assert.Equal(("failed", 1), (rejected.Status, rejected.Attempts));
        Assert.Equal(LogLevel.Warning, rejection.Level);
        Assert.Null(rejection.Exception);
        Assert.Contains("E.164", rejection.Message, StringComparison.Ordinal);
    }

    /// <summary>A world whose merchant has SMS on (and whatever <paramref name="configure"/> adds to the host).</summary>
    private async Task<SimulatedWorld> StartWithSmsAsync(Action<IServiceCollection>? configure = null)
    {
        var world = await SimulatedWorld.StartAsync(db.ConnectionString, Settings, configure: configure);
        await world.Host.ExecuteAsync("UPDATE fulfillment.merchants SET sms_enabled = true WHERE id = @m", ("m", FulfillmentHost.MerchantId));
        return world;
    }

    /// <summary>Submits an order and drives the world until it has shipped (its "shipped" messages recorded).</summary>
    private static async Task<Guid> ShippedOrderAsync(SimulatedWorld world, string number)
    {
        var orderId = await world.SubmitAsync(SampleOrders.Valid(number, ("MUG-RED", 1)));
        await world.DriveUntilAsync(async () => await world.OrderStatusAsync(orderId) == "shipped");
        return orderId;
    }

    /// <summary>The order's SMS as <c>GET /api/orders/{id}</c> shows it.</summary>
    private static async Task<NotificationView> SmsOfAsync(SimulatedWorld world, Guid orderId) =>
        (await world.Host.Services.GetRequiredService<OrderQueries>().GetAsync(orderId, default))!.Notifications.Single(n => n.Channel == "sms");

    private static async Task SendAllDueAsync(SimulatedWorld world)
    {
        var sender = world.Host.Services.GetRequiredService<NotificationSender>();
        while (await sender.SendDueAsync(default) > 0)
        {
        }
    }

    /// <summary>The texts the provider got for the order (the reference is our notification id).</summary>
    private static async Task<List<JsonNode?>> TextsAsync(SimulatedWorld world, Guid orderId)
    {
        var ids = await world.Host.ScalarAsync<Guid[]>("SELECT array_agg(id) FROM fulfillment.notifications WHERE order_id = @o AND channel = 'sms'", ("o", orderId)) ?? [];
        var all = (await world.SimulatorClient.GetFromJsonAsync<JsonObject>($"/sms/messages?to={Uri.EscapeDataString(Phone)}"))!["items"]!.AsArray();
        return [.. all.Where(m => ids.Select(i => i.ToString()).Contains((string)m!["reference"]!))];
    }

    public void Dispose() => Directory.Delete(_mail, recursive: true);
}
