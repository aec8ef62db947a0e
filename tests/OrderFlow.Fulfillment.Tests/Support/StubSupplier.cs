using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace OrderFlow.Fulfillment.Tests.Support;

/// <summary>
/// A supplier API on a real loopback port that answers whatever the test says (oversized, malformed, hostile), to prove
/// OrderFlow checks what suppliers send before it uses it. Every request is counted.
/// </summary>
public sealed class StubSupplier : IAsyncDisposable
{
    private readonly WebApplication app;
    private int requests;

    private StubSupplier(WebApplication app) => this.app = app;

    /// <summary>Answers each request; the default is 404.</summary>
    public Func<HttpContext, Task> Answer { get; set; } = http =>
    {
        http.Response.StatusCode = 404;
        return Task.CompletedTask;
    };

    public int Requests => Volatile.Read(ref requests);

    /// <summary>The base URL to store as a supplier's <c>base_url</c>.</summary>
    public string Url { get; private set; } = "";

    public static async Task<StubSupplier> StartAsync()
    {
        StubSupplier? stub = null;
        var (app, address) = await LoopbackApp.StartAsync(web => web.Run(async http =>
        {
            Interlocked.Increment(ref stub!.requests);
            await stub.Answer(http);
        }));
        stub = new StubSupplier(app) { Url = address + "/api" };
        return stub;
    }

    /// <summary>Writes <paramref name="json"/> as a 200 answer, with a Content-Length or chunked (no length known up front).</summary>
    public static async Task WriteJsonAsync(HttpContext http, string json, bool withContentLength = true)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        http.Response.ContentType = "application/json";
        if (withContentLength)
        {
            http.Response.ContentLength = bytes.Length;
            await http.Response.Body.WriteAsync(bytes);
            return;
        }

        foreach (var chunk in bytes.Chunk(8_192))
        {
            await http.Response.Body.WriteAsync(chunk);
            await http.Response.Body.FlushAsync();
        }
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
