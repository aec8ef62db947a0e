using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace OrderFlow.Fulfillment.Tests.Support;

/// <summary>A minimal web app on a free loopback port, for test doubles of the services OrderFlow calls.</summary>
public static class LoopbackApp
{
    /// <summary>Starts an app whose endpoints <paramref name="map"/> adds; returns it with its base address (no trailing slash).</summary>
    public static async Task<(WebApplication App, string BaseAddress)> StartAsync(Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        return (app, app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/'));
    }
}
