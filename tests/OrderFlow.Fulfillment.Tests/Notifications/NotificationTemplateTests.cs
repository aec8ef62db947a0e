using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OrderFlow.Fulfillment.Notifications;
using OrderFlow.Fulfillment.Notifications.Templates;
using OrderFlow.Fulfillment.Orders;
using OrderFlow.Fulfillment.Tests.Support;
using OrderFlow.Testing;

namespace OrderFlow.Fulfillment.Tests.Notifications;

/// <summary>Liquid templates: the defaults, HTML encoding, validation with Fluid's errors, and merchants' own templates across processes.</summary>
public sealed class NotificationTemplateTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    private static readonly TemplateRenderer Renderer = new(new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 10, 0, 0, TimeSpan.Zero)));

    public static TheoryData<string> Events() => [.. NotificationEvents.All];

    [Theory]
    [MemberData(nameof(Events))]
    public async Task Render_DefaultEmail_SubjectTextAndHtmlNameTheOrderAndLinkTheTrackingPage(string @event)
    {
        var model = TemplateModel.Sample(@event, "shop-a", "Shop A", "https://track.example/track/tok", DateTimeOffset.UtcNow);

        var message = await Renderer.RenderAsync(DefaultTemplates.For(@event, NotificationChannels.Email), model);

        Assert.Contains("#1042", message.Subject);
        Assert.DoesNotContain("\n", message.Subject);
        Assert.Contains("Hello Ada Lovelace", message.Text);
        Assert.Contains("Follow your order: https://track.example/track/tok", message.Text);
        Assert.Contains("JD014600006281512345", message.Text);
        Assert.Contains("<a href=\"https://track.example/track/tok\"", message.Html);
        Assert.DoesNotContain("{{", message.Text + message.Html + message.Subject);
    }

    [Theory]
    [MemberData(nameof(Events))]
    public async Task Render_DefaultSms_OneShortLineWithTheLink(string @event)
    {
        var model = TemplateModel.Sample(@event, "shop-a", "Shop A", "https://track.example/track/tok", DateTimeOffset.UtcNow);

        var message = await Renderer.RenderAsync(DefaultTemplates.For(@event, NotificationChannels.Sms), model);

        Assert.Null(message.Subject);
        Assert.Null(message.Html);
        Assert.StartsWith("Shop A: your order #1042 ", message.Text);
        Assert.EndsWith("https://track.example/track/tok\n", message.Text);
        Assert.True(message.Text.Length <= 160, message.Text);
    }

    [Fact]
    public async Task Render_ValueWithMarkup_EncodedInHtmlAndLiteralInText()
    {
        var model = new Dictionary<string, object?>(TemplateModel.Sample("shipped", "shop-a", "Shop A", "https://t.example/x", DateTimeOffset.UtcNow))
        {
            ["customer"] = new Dictionary<string, object?> { ["name"] = "<script>alert(1)</script> & \"Co\"" },
        };

        var message = await Renderer.RenderAsync(DefaultTemplates.For("shipped", NotificationChannels.Email), model);

        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;", message.Html);
        Assert.DoesNotContain("<script>", message.Html);
        Assert.Contains("Hello <script>alert(1)</script> & \"Co\"", message.Text);
    }

    [Fact]
    public async Task Validate_HtmlDoesNotParse_ErrorNamesTheFieldWithFluidsMessage()
    {
        await using var host = await FulfillmentHost.StartAsync(db.ConnectionString);
        var store = host.Services.GetRequiredService<TemplateStore>();

        var errors = await store.ValidateAsync(FulfillmentHost.MerchantId, "shipped", NotificationChannels.Email,
            new MessageTemplate("Shipped {{ order.number }}", "Hi", "<p>{% if order.number %}unclosed</p>"));

        var error = Assert.Single(Assert.Contains("html", errors));
        Assert.Contains("does not parse", error);
        Assert.Contains("endif", error);
        Assert.DoesNotContain("subject", errors.Keys);
    }

    [Fact]
    public async Task Validate_UnknownFilterOrSmsWithSubject_Refused()
    {
        await using var host = await FulfillmentHost.StartAsync(db.ConnectionString);
        var store = host.Services.GetRequiredService<TemplateStore>();

        var filter = await store.ValidateAsync(FulfillmentHost.MerchantId, "shipped", NotificationChannels.Email,
            new MessageTemplate("{{ order.number | shout }}", "Hi", null));
        var sms = await store.ValidateAsync(FulfillmentHost.MerchantId, "shipped", NotificationChannels.Sms,
            new MessageTemplate("Subject", "Shipped {{ order.number }}", null));
        var missing = await store.ValidateAsync(FulfillmentHost.MerchantId, "shipped", NotificationChannels.Email, new MessageTemplate(null, " ", null));

        Assert.Contains("shout", Assert.Single(Assert.Contains("subject", filter)));
        Assert.Equal(["subject"], sms.Keys);
        Assert.Equal(["subject", "text"], missing.Keys.Order());
    }

    [Fact]
    public async Task Record_TemplateChangedByAnotherProcess_NextMessageUsesTheNewVersion()
    {
        await using var first = await FulfillmentHost.StartAsync(db.ConnectionString);
        await using var second = await FulfillmentHost.StartAsync(db.ConnectionString);
        var store = second.Services.GetRequiredService<TemplateStore>();
        await store.SaveAsync(FulfillmentHost.MerchantId, "cancelled", NotificationChannels.Email,
            new MessageTemplate("v1 {{ order.number }}", "Sorry {{ customer.name }}", "<p>{{ customer.name }}</p>"), "test", default);
        var one = await ReceiveAsync(first, "TPL-1");
        var two = await ReceiveAsync(first, "TPL-2");

        await RecordCancelledAsync(first, one);
        var saved = await store.SaveAsync(FulfillmentHost.MerchantId, "cancelled", NotificationChannels.Email,
            new MessageTemplate("v2 {{ order.number }}", "Sorry again {{ customer.name }}", null), "test", default);
        await RecordCancelledAsync(first, two);

        Assert.Equal(2, saved!.Version);
        Assert.Equal("v1 TPL-1", await SubjectAsync(first, one));
        Assert.Equal("v2 TPL-2", await SubjectAsync(first, two));
        Assert.Null(await first.ScalarAsync<string>("SELECT html_body FROM fulfillment.notifications WHERE order_id = @o", ("o", two)));
    }

    [Fact]
    public async Task Reset_OwnTemplateDropped_DefaultAppliesAgain()
    {
        await using var host = await FulfillmentHost.StartAsync(db.ConnectionString);
        var store = host.Services.GetRequiredService<TemplateStore>();
        await store.SaveAsync(FulfillmentHost.MerchantId, "delivered", NotificationChannels.Sms, new MessageTemplate(null, "Delivered!", null), "test", default);

        var dropped = await store.ResetAsync(FulfillmentHost.MerchantId, "delivered", NotificationChannels.Sms, default);
        var current = await store.GetAsync(FulfillmentHost.MerchantId, "delivered", NotificationChannels.Sms, default);

        Assert.True(dropped);
        Assert.True(current!.IsDefault);
        Assert.Equal(DefaultTemplates.For("delivered", NotificationChannels.Sms).Text, current.Text);
    }

    private static async Task<Guid> ReceiveAsync(FulfillmentHost host, string merchantOrderId) =>
        (await host.Intake.ReceiveAsync(FulfillmentHost.MerchantId, host.Sign(SampleOrders.Valid(merchantOrderId).ToJsonString()), default)).OrderId!.Value;

    private static async Task RecordCancelledAsync(FulfillmentHost host, Guid orderId)
    {
        await using var connection = await host.DataSource.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await host.Services.GetRequiredService<CustomerNotifier>().RecordAsync(connection, tx, orderId, NotificationEvents.Cancelled, default);
        await tx.CommitAsync();
    }

    private static Task<string?> SubjectAsync(FulfillmentHost host, Guid orderId) =>
        host.ScalarAsync<string>("SELECT subject FROM fulfillment.notifications WHERE order_id = @o AND channel = 'email'", ("o", orderId));
}
