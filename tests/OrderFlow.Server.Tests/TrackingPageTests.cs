using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using OrderFlow.Server.Tests.Support;
using OrderFlow.Testing;

namespace OrderFlow.Server.Tests;

/// <summary>The public tracking page: no login, strict headers, the timeline, and how it looks in a real browser.</summary>
public sealed class TrackingPageTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Track_KnownToken_RendersParcelsTimelineWithoutLoginOrScript()
    {
        var (_, token) = await TrackedOrderSeed.InsertAsync(fixture.Database.ConnectionString, "nordic-" + Guid.NewGuid().ToString("N")[..6]);

        var response = await fixture.Factory.ClientAs(null).GetAsync($"/track/{token}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("style=", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Parcel 1 of 2", html);
        Assert.Contains("JD014600006281230704", html);
        Assert.Contains("Out for delivery with the courier", html);
        Assert.Contains("Estimated delivery", html);
        Assert.Contains("Fjord poster (A2)", html);
        Assert.Contains("name=\"viewport\"", html);
    }

    [Fact]
    public async Task Track_UnknownToken_NotFound()
    {
        var response = await fixture.Factory.ClientAs(null).GetAsync("/track/trk_not-a-real-token");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Track_Stylesheet_ServedWithoutLogin()
    {
        var response = await fixture.Factory.ClientAs(null).GetAsync("/track/assets/track.css");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/css", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("phone", 390, 844)]
    [InlineData("desktop", 1280, 900)]
    public async Task Track_HeadlessChromium_RendersAtPhoneAndDesktopWidths(string name, int width, int height)
    {
        var chromium = Browser();
        Assert.True(chromium is not null, "Install Chromium (apt-get install -y chromium) or set ORDERFLOW_CHROMIUM to render the tracking page.");
        await using var factory = new ServerFactory(fixture.Database.ConnectionString);
        factory.UseKestrel(0);
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        var (_, token) = await TrackedOrderSeed.InsertAsync(fixture.Database.ConnectionString, "nordic-" + Guid.NewGuid().ToString("N")[..6]);
        var directory = Path.Combine(Path.GetTempPath(), "orderflow-screenshots");
        Directory.CreateDirectory(directory);
        var png = Path.Combine(directory, $"track-{name}.png");
        File.Delete(png);

        using var process = Process.Start(new ProcessStartInfo(chromium!,
            ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--hide-scrollbars", $"--screenshot={png}", $"--window-size={width},{height}", $"{address}/track/{token}"])
        { RedirectStandardError = true, RedirectStandardOutput = true })!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.True(File.Exists(png), await process.StandardError.ReadToEndAsync());
        var header = File.ReadAllBytes(png)[..24];
        Assert.Equal(width, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(16)));
    }

    private static string? Browser() =>
        Environment.GetEnvironmentVariable("ORDERFLOW_CHROMIUM") is { Length: > 0 } configured ? configured
        : new[] { "chromium", "chromium-browser", "google-chrome" }
            .SelectMany(b => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, b)))
            .FirstOrDefault(File.Exists);
}
