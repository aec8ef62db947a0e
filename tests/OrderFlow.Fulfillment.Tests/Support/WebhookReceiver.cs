using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace OrderFlow.Fulfillment.Tests.Support;

/// <summary>A storefront endpoint on a real loopback port that records what it receives and answers as the test says.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication app;

    private WebhookReceiver(WebApplication app) => this.app = app;

    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    /// <summary>The status to answer with, and extra response headers.</summary>
    public Func<int> Status { get; set; } = () => 200;

    public IDictionary<string, string> ResponseHeaders { get; } = new ConcurrentDictionary<string, string>();

    /// <summary>When set, each request is recorded and then waits for this before it is answered (a slow storefront).</summary>
    public Func<Task>? Hold { get; set; }

    public string Url { get; private set; } = "";

    public static async Task<WebhookReceiver> StartAsync()
    {
        WebhookReceiver? receiver = null;
        var (app, address) = await LoopbackApp.StartAsync(web => web.MapPost("/hooks", async (HttpContext http) =>
        {
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body);
            receiver!.Received.Enqueue(new ReceivedWebhook(
                http.Request.Headers["webhook-id"].ToString(), http.Request.Headers["webhook-timestamp"].ToString(),
                http.Request.Headers["webhook-signature"].ToString(), body.ToArray()));
            if (receiver.Hold is { } hold)
            {
                await hold();
            }

            foreach (var (name, value) in receiver.ResponseHeaders)
            {
                http.Response.Headers[name] = value;
            }

            http.Response.StatusCode = receiver.Status();
        }));
        receiver = new WebhookReceiver(app) { Url = address + "/hooks" };
        return receiver;
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}

/// <summary>One request as the storefront saw it: the raw body bytes, as signatures are over them.</summary>
public sealed record ReceivedWebhook(string Id, string Timestamp, string Signature, byte[] Body);
