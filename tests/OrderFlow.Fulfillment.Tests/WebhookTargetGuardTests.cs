using Microsoft.Extensions.Options;
using OrderFlow.Fulfillment.Webhooks;

namespace OrderFlow.Fulfillment.Tests;

public sealed class WebhookTargetGuardTests
{
    private static WebhookTargetGuard Guard(bool allowPrivate = false) => new(Options.Create(new FulfillmentOptions { AllowPrivateWebhookTargets = allowPrivate }));

    [Theory]
    [InlineData("http://127.0.0.1:5090/hooks")]
    [InlineData("http://localhost/hooks")]
    [InlineData("http://10.1.2.3/hooks")]
    [InlineData("http://172.20.0.1/hooks")]
    [InlineData("http://192.168.1.10/hooks")]
    [InlineData("http://100.64.0.1/hooks")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://0.0.0.0/hooks")]
    [InlineData("http://[::1]/hooks")]
    [InlineData("http://[fe80::1]/hooks")]
    [InlineData("http://[fd00::1]/hooks")]
    [InlineData("http://[::ffff:127.0.0.1]/hooks")]
    [InlineData("http://[::ffff:a9fe:a9fe]/latest/meta-data")]
    [InlineData("http://[fc00::1]/hooks")]
    [InlineData("http://2130706433/hooks")]
    [InlineData("http://0177.0.0.1/hooks")]
    [InlineData("http://0x7f.0.0.1/hooks")]
    [InlineData("http://0x7f000001/hooks")]
    [InlineData("http://2852039166/latest/meta-data")]
    [InlineData("http://127.1/hooks")]
    [InlineData("http://[0:0:0:0:0:0:0:1]/hooks")]
    public async Task CheckUrl_PrivateLoopbackOrLinkLocal_Refused(string url)
    {
        var problem = await Guard().CheckUrlAsync(url, default);

        Assert.NotNull(problem);
        Assert.Contains("private, loopback or link-local", problem);
    }

    [Theory]
    [InlineData("ftp://93.184.216.34/hooks")]
    [InlineData("not a url")]
    [InlineData("https://user:pass@93.184.216.34/hooks")]
    public async Task CheckUrl_NotPlainHttpUrl_Refused(string url) => Assert.NotNull(await Guard(allowPrivate: true).CheckUrlAsync(url, default));

    [Fact]
    public async Task CheckUrl_PublicAddress_Allowed() => Assert.Null(await Guard().CheckUrlAsync("https://93.184.216.34/hooks", default));

    [Fact]
    public async Task CheckUrl_LoopbackWhenConfigurationAllows_Allowed() => Assert.Null(await Guard(allowPrivate: true).CheckUrlAsync("http://127.0.0.1:5090/hooks", default));

    [Fact]
    public async Task AllowedAddresses_HostResolvingToLoopback_Throws() =>
        await Assert.ThrowsAsync<HttpRequestException>(() => Guard().AllowedAddressesAsync("localhost", default));
}
