using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrderFlow.Fulfillment.Outbox;
using OrderFlow.Fulfillment.Tests.Support;
using OrderFlow.Fulfillment.Webhooks;
using OrderFlow.Testing;

namespace OrderFlow.Fulfillment.Tests;

/// <summary>Storefront status webhooks sent to a real endpoint on loopback: signatures, retry schedule, disablement, replay.</summary>
public sealed class StorefrontWebhookTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    private static readonly TimeSpan[] Schedule =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2),
        TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10),
    ];

    [Fact]
    public async Task SendDue_Delivery_SignatureVerifiesWithIndependentImplementation()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await FulfillmentHost.StartAsync(db.ConnectionString);
        var merchant = await NewMerchant(host);
        var created = await Subscribe(host, merchant, receiver.Url);
        var orderId = await ReceiveOrder(host, merchant, "SIG-1");

        await Sender(host).SendDueAsync(default);

        var webhook = Assert.Single(receiver.Received);
        // Standard Webhooks by hand: HMAC-SHA256 keyed with the base64 after whsec_, over "{id}.{timestamp}.{raw body}".
        var key = Convert.FromBase64String(created.Secret["whsec_".Length..]);
        var signed = Encoding.UTF8.GetBytes($"{webhook.Id}.{webhook.Timestamp}.").Concat(webhook.Body).ToArray();
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
        Assert.Contains(expected, webhook.Signature.Split(' '));
        Assert.InRange(long.Parse(webhook.Timestamp), host.Clock.GetUtcNow().ToUnixTimeSeconds() - 1, host.Clock.GetUtcNow().ToUnixTimeSeconds());
        var payload = JsonNode.Parse(webhook.Body)!;
        Assert.Equal(webhook.Id, (string?)payload["data"]!["eventId"]);
        Assert.Equal(1, (int)payload["data"]!["sequence"]!);
        Assert.Equal(orderId, Guid.Parse((string)payload["data"]!["orderId"]!));
    }

    [Fact]
    public async Task SendDue_EndpointKeepsFailing_RetriedOnSvixScheduleWithJitterThenFailed()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Status = () => 500;
        await using var host = await FulfillmentHost.StartAsync(db.ConnectionString);
        var merchant = await NewMerchant(host);
        var subscription = (await Subscribe(host, merchant, receiver.Url)).Subscription.Id;
        await ReceiveOrder(host, merchant, "RETRY-1");
        var sender = Sender(host);

        foreach (var delay in Schedule)
        {
            var before = host.Clock.GetUtcNow();
            await sender.SendDueAsync(default);
            var next = await NextAttempt(host, subscription);
            Assert.InRange(next - before, delay * 0.8 - TimeSpan.FromMilliseconds(1), delay * 1.2 + TimeSpan.FromMilliseconds(1));
            host.Clock.SetUtcNow(next);
        }

        await sender.SendDueAsync(default);
        Assert.Equal(8, receiver.Received.Count);
        Assert.Equal("failed", await host.ScalarAsync<string>("SELECT status FROM fulfillment.webhook_deliveries WHERE subscription_id = @s", ("s", subscription)));
        Assert.Equal(500, await host.ScalarAsync<int>("SELECT last_status_code FROM fulfillment.webhook_deliveries WHERE subscription_id = @s", ("s", subscription)));
    }

    [Fact]
    public async Task SendDue_Redirect_CountsAsFailureAndIsNotFollowed()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Status = () => 302;
        receiver.ResponseHeaders["Location"] = receiver.Url + "?moved";
        await using var host = await FulfillmentHost.StartAsync(db.ConnectionString);
        var merchant = await NewMerchant(host);
        var subscription = (await Subscribe(host, merchant, receiver.Url)).Subscription.Id;
        await ReceiveOrder(host, merchant, "REDIRECT-1");

        await Sender(host).SendDueAsync(default);

        Assert.Single(receiver.Received);
        Assert.Equal("pending", await host.ScalarAsync<string>("SELECT status FROM fulfillment.webhook_deliveries WHERE subscription_id = @s", ("s", subscription)));
        Assert.Equal(302, await host.ScalarAsync<int>("SELECT last_status_code FROM fulfillment.webhook_deliveries WHERE subscription_id = @s", ("s", subscription)));
    }

    [Fact]
    public async Task SendDue_RetryAfterLongerThanSchedule_NextAttemptWaitsAsAsked()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Status = () => 429;
        receiver.ResponseHeaders["Retry-After"] = "3600";
        await using var host = await FulfillmentHost.StartAsync(db.ConnectionString);
        var merchant = await NewMerchant(host);
        var subscription = (await Subscribe(host, merchant, receiver.Url)).Subscription.Id;
        await ReceiveOrder(host, merchant, "RA-1");
        var before = host.Clock.GetUtcNow();

        await Sender(host).SendDueAsync(default);

        Assert.InRange(await NextAttempt(host, subscription) - before, TimeSpan.FromSeconds(3599), TimeSpan.FromSeconds(3601));
    }

    [Fact]
    public async Task SendDue_410Gone_DisablesSubscriptionStopsSendingAndTellsMerchant()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Status = () => 410;
        await using var host = await FulfillmentHost.StartAsync(db.ConnectionString);
        var merchant = await NewMerchant(host);
        var subscription = (await Subscribe(host, merchant, receiver.Url)).Subscription.Id;
        await ReceiveOrder(host, merchant, "GONE-1");

        await Sender(host).SendDueAsync(default);
        await ReceiveOrder(host, merchant, "GONE-2");
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        await Sender(host).SendDueAsync(default);

        Assert.Single(receiver.Received);
        var view = await Store(host).GetAsync(merchant, subscription, default);
        Assert.False(view!.Enabled);
        Assert.Contains("410", view.DisabledReason);
        var notice = Assert.Single(await Store(host).NoticesAsync(merchant, default), n => n.SubjectId == subscription.ToString());
        Assert.Equal("webhook_subscription_disabled", notice.Kind);
    }

    [Fact]
    public async Task SendDue_FailingForFiveDays_DisabledAndMerchantTold()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Status = () => 503;
        await using var host = await FulfillmentHost.StartAsync(db.ConnectionString);
        var merchant = await NewMerchant(host);
        var subscription = (await Subscribe(host, merchant, receiver.Url)).Subscription.Id;
        await ReceiveOrder(host, merchant, "FIVE-1");
        await Sender(host).SendDueAsync(default);
        host.Clock.Advance(TimeSpan.FromDays(4));
        await ReceiveOrder(host, merchant, "FIVE-2");
        await Sender(host).SendDueAsync(default);
        Assert.True((await Store(host).GetAsync(merchant, subscription, default))!.Enabled);

        host.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        await ReceiveOrder(host, merchant, "FIVE-3");
        await Sender(host).SendDueAsync(default);

        var view = await Store(host).GetAsync(merchant, subscription, default);
        Assert.False(view!.Enabled);
        Assert.Contains("120 hours", view.DisabledReason);
        Assert.Contains(await Store(host).NoticesAsync(merchant, default), n => n.SubjectId == subscription.ToString() && n.Message.Contains(receiver.Url));
    }

    [Fact]
    public async Task SendDue_SuccessBetweenFailures_RestartsFailureClock()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var fail = true;
        receiver.Status = () => fail ? 500 : 200;
        await using var host = await FulfillmentHost.StartAsync(db.ConnectionString);
        var merchant = await NewMerchant(host);
        var subscription = (await Subscribe(host, merchant, receiver.Url)).Subscription.Id;
        await ReceiveOrder(host, merchant, "CLOCK-1");
        await Sender(host).SendDueAsync(default);
        Assert.NotNull((await Store(host).GetAsync(merchant, subscription, default))!.FailingSince);

        fail = false;
        host.Clock.Advance(TimeSpan.FromSeconds(10));
        await Sender(host).SendDueAsync(default);

        Assert.Null((await Store(host).GetAsync(merchant, subscription, default))!.FailingSince);
    }

    [Fact]
    public async Task Replay_DeliveredDelivery_SentAgainWithSameEventId()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await FulfillmentHost.StartAsync(db.ConnectionString);
        var merchant = await NewMerchant(host);
        var subscription = (await Subscribe(host, merchant, receiver.Url)).Subscription.Id;
        await ReceiveOrder(host, merchant, "REPLAY-1");
        await Sender(host).SendDueAsync(default);
        var delivery = Assert.Single(await Store(host).DeliveriesAsync(merchant, subscription, null, null, 50, default));
        Assert.Equal("delivered", delivery.Status);

        Assert.True(await Store(host).ReplayAsync(merchant, subscription, delivery.Id, default));
        await Sender(host).SendDueAsync(default);

        Assert.Equal(2, receiver.Received.Count);
        Assert.Equal(receiver.Received.First().Id, receiver.Received.Last().Id);
        var replayed = Assert.Single(await Store(host).DeliveriesAsync(merchant, subscription, null, null, 50, default));
        Assert.Equal(("delivered", 1), (replayed.Status, replayed.Replays));
        Assert.False(await Store(host).ReplayAsync("another-merchant", subscription, delivery.Id, default));
    }

    [Fact]
    public async Task Deliveries_FilteredByStatus_EachStatusReturnsExactlyItsDeliveriesNewestFirst()
    {
        await using var host = await FulfillmentHost.StartAsync(db.ConnectionString);
        var merchant = await NewMerchant(host);
        var subscription = (await Subscribe(host, merchant, "http://127.0.0.1:9/never")).Subscription.Id;
        for (var i = 0; i < 6; i++)
        {
            await ReceiveOrder(host, merchant, $"FILTER-{i}");
        }

        // Six "received" deliveries, newest last: two failed, two delivered, two left pending.
        var ids = (await Store(host).DeliveriesAsync(merchant, subscription, null, null, 50, default)).Select(d => d.Id).ToList();
        Assert.Equal(6, ids.Count);
        Assert.Equal(ids.OrderDescending(), ids);
        await host.ExecuteAsync("UPDATE fulfillment.webhook_deliveries SET status = 'failed' WHERE id = ANY(@ids)", ("ids", new[] { ids[0], ids[3] }));
        await host.ExecuteAsync("UPDATE fulfillment.webhook_deliveries SET status = 'delivered', delivered_at = now() WHERE id = ANY(@ids)", ("ids", new[] { ids[1], ids[4] }));

        async Task<long[]> Filtered(string status, long? before = null) =>
            [.. (await Store(host).DeliveriesAsync(merchant, subscription, status, before, 50, default)).Select(d => d.Id)];

        Assert.Equal([ids[0], ids[3]], await Filtered("failed"));
        Assert.Equal([ids[1], ids[4]], await Filtered("delivered"));
        Assert.Equal([ids[2], ids[5]], await Filtered("pending"));
        Assert.Equal([ids[3]], await Filtered("failed", before: ids[0]));
        Assert.Empty(await Store(host).DeliveriesAsync("another-merchant", subscription, "failed", null, 50, default));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store(host).DeliveriesAsync(merchant, subscription, "failed' OR true --", null, 50, default));
    }

    [Fact]
    public async Task ReplaySince_EventsMissedWhileDisabled_DeliveredAfterEnabling()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await FulfillmentHost.StartAsync(db.ConnectionString);
        var merchant = await NewMerchant(host);
        var store = Store(host);
        var subscription = (await Subscribe(host, merchant, receiver.Url)).Subscription.Id;
        var since = host.Clock.GetUtcNow();
        await store.UpdateAsync(merchant, subscription, new WebhookSubscriptionChange(null, null, null, Enabled: false), default);
        await ReceiveOrder(host, merchant, "MISSED-1");
        await ReceiveOrder(host, merchant, "MISSED-2");
        await Sender(host).SendDueAsync(default);
        Assert.Empty(receiver.Received);

        await store.UpdateAsync(merchant, subscription, new WebhookSubscriptionChange(null, null, null, Enabled: true), default);
        var queued = await store.ReplaySinceAsync(merchant, subscription, since, default);
        await Sender(host).SendDueAsync(default);

        Assert.Equal(2, queued);
        Assert.Equal(2, receiver.Received.Count);
    }

    [Fact]
    public async Task SendDue_TargetOnLoopbackWhenNotAllowed_RefusedWithoutConnecting()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await FulfillmentHost.StartAsync(db.ConnectionString, new Dictionary<string, string?> { ["OrderFlow:Fulfillment:AllowPrivateWebhookTargets"] = "false" });
        var merchant = await NewMerchant(host);
        // Written straight to the table, as a subscription saved before its host's DNS answer changed would be.
        var subscription = Guid.NewGuid();
        await host.ExecuteAsync("INSERT INTO fulfillment.webhook_subscriptions (id, merchant_id, url, secret) VALUES (@id, @m, @url, @secret)",
            ("id", subscription), ("m", merchant), ("url", receiver.Url), ("secret", StandardWebhooks.NewSecret()));
        await ReceiveOrder(host, merchant, "SSRF-1");

        await Sender(host).SendDueAsync(default);

        Assert.Empty(receiver.Received);
        Assert.Contains("Refused", await host.ScalarAsync<string>("SELECT last_error FROM fulfillment.webhook_deliveries WHERE subscription_id = @s", ("s", subscription)));
    }

    [Fact]
    public async Task Pump_NoBurstAllowed_DeliveryWaitsUnattemptedUntilTheSurgeEnds()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var surge = new ForegroundSurge();
        await using var host = await FulfillmentHost.StartAsync(db.ConnectionString, configure: surge.AddTo);
        var merchant = await NewMerchant(host);
        var subscription = (await Subscribe(host, merchant, receiver.Url)).Subscription.Id;
        await ReceiveOrder(host, merchant, "SURGE-1");
        surge.StopBursts();
        var pump = host.Services.GetServices<IHostedService>().OfType<OutboxPump>().Single();

        await pump.StartAsync(default);

        // Due now, and the pump looks at once when it starts: only its turn holds the delivery back, so that the cores go
        // to acknowledging the merchants' webhooks while those answers are slow.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Empty(receiver.Received);
        Assert.Equal("pending, 0 attempts", await DeliveryState(host, subscription));

        surge.End();

        await Poll.UntilAsync(async () => await host.ScalarAsync<string>(
            "SELECT status FROM fulfillment.webhook_deliveries WHERE subscription_id = @s", ("s", subscription)) == "delivered", "the delivery is sent once the surge ends");
        Assert.Single(receiver.Received);
        await pump.StopAsync(default);
    }

    [Fact]
    public async Task SendDue_AnotherProcessSending_ClaimsNothingUntilTheOutcomeIsRecorded()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await FulfillmentHost.StartAsync(db.ConnectionString);
        var answer = new TaskCompletionSource();
        var subscription = await DueToHeldStorefront(host, receiver, answer.Task, "CLAIM-1");
        var first = await SendUntilReceivedAsync(host, receiver, default);

        // A second sender (another process: its own connection and transaction) finds the delivery taken while it is out.
        Assert.Equal(0, await Sender(host).SendDueAsync(default));
        answer.SetResult();

        Assert.Equal(1, await first);
        Assert.Single(receiver.Received);
        Assert.Equal("delivered, 1 attempts", await DeliveryState(host, subscription));
        Assert.Equal(0, await Sender(host).SendDueAsync(default));
    }

    [Fact]
    public async Task SendDue_SenderGoneMidSend_AnotherProcessSendsAtOnce()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await FulfillmentHost.StartAsync(db.ConnectionString);
        var answer = new TaskCompletionSource();
        var subscription = await DueToHeldStorefront(host, receiver, answer.Task, "CLAIM-2");
        using var dying = new CancellationTokenSource();
        var first = await SendUntilReceivedAsync(host, receiver, dying.Token);

        // The process stops mid-send: its transaction ends without an outcome, and the delivery is free again at once,
        // at the same moment on the clock (no lease to run out first).
        await dying.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        receiver.Hold = null;
        answer.SetResult();
        Assert.Equal(1, await Sender(host).SendDueAsync(default));

        Assert.Equal(2, receiver.Received.Count);
        Assert.Equal("delivered, 1 attempts", await DeliveryState(host, subscription));
    }

    /// <summary>One order's delivery due to a storefront that holds every request until <paramref name="answer"/>; returns the subscription.</summary>
    private static async Task<Guid> DueToHeldStorefront(FulfillmentHost host, WebhookReceiver receiver, Task answer, string merchantOrderId)
    {
        receiver.Hold = () => answer;
        var merchant = await NewMerchant(host);
        var subscription = (await Subscribe(host, merchant, receiver.Url)).Subscription.Id;
        await ReceiveOrder(host, merchant, merchantOrderId);
        return subscription;
    }

    /// <summary>Starts a sender's round and returns it, still running, once its request has reached the storefront.</summary>
    private static async Task<Task<int>> SendUntilReceivedAsync(FulfillmentHost host, WebhookReceiver receiver, CancellationToken ct)
    {
        var round = Sender(host).SendDueAsync(ct);
        await Poll.UntilAsync(() => Task.FromResult(!receiver.Received.IsEmpty), "the sender's request reaches the storefront");
        return round;
    }

    /// <summary>The subscription's (one) delivery as "status, N attempts".</summary>
    private static Task<string?> DeliveryState(FulfillmentHost host, Guid subscription) => host.ScalarAsync<string>(
        "SELECT status || ', ' || attempts || ' attempts' FROM fulfillment.webhook_deliveries WHERE subscription_id = @s", ("s", subscription));

    private static WebhookSender Sender(FulfillmentHost host) => host.Services.GetRequiredService<WebhookSender>();

    private static WebhookSubscriptions Store(FulfillmentHost host) => host.Services.GetRequiredService<WebhookSubscriptions>();

    /// <summary>A merchant of the test's own: the class shares one database, and replay and notices are per merchant.</summary>
    private static async Task<string> NewMerchant(FulfillmentHost host)
    {
        var merchant = "shop-" + Guid.NewGuid().ToString("N")[..8];
        await host.ExecuteAsync("""
            INSERT INTO fulfillment.merchants (id, name) VALUES (@m, 'Shop');
            INSERT INTO fulfillment.merchant_secrets (id, merchant_id, secret, created_at) VALUES (gen_random_uuid(), @m, @secret, now());
            """, ("m", merchant), ("secret", FulfillmentHost.IntakeSecret));
        return merchant;
    }

    private static Task<CreatedWebhookSubscription> Subscribe(FulfillmentHost host, string merchant, string url) =>
        Store(host).CreateAsync(merchant, url, null, null, default);

    private static async Task<Guid> ReceiveOrder(FulfillmentHost host, string merchant, string merchantOrderId) =>
        (await host.Intake.ReceiveAsync(merchant, host.Sign(SampleOrders.Valid(merchantOrderId).ToJsonString()), default)).OrderId!.Value;

    private static async Task<DateTimeOffset> NextAttempt(FulfillmentHost host, Guid subscription) =>
        new(await host.ScalarAsync<DateTime>("SELECT next_attempt_at FROM fulfillment.webhook_deliveries WHERE subscription_id = @s AND status = 'pending'", ("s", subscription)), TimeSpan.Zero);
}
