using System.Net;
using Microsoft.Extensions.Options;
using OrderFlow.Fulfillment.Security;
using OrderFlow.Fulfillment.Tests.Support;

namespace OrderFlow.Fulfillment.Tests;

public sealed class OutboundTargetGuardTests
{
    private const OutboundTarget Webhook = OutboundTarget.StorefrontWebhook;

    private static OutboundTargetGuard Guard(bool allowPrivate = false, bool allowPrivateSuppliers = false, IHostResolver? resolver = null) =>
        new(Options.Create(new FulfillmentOptions { AllowPrivateWebhookTargets = allowPrivate, AllowPrivateSupplierTargets = allowPrivateSuppliers }),
            resolver ?? new DnsHostResolver());

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
        var problem = await Guard().CheckUrlAsync(Webhook, url, default);

        Assert.NotNull(problem);
        Assert.Contains("private, loopback or link-local", problem);
    }

    [Theory]
    [InlineData("ftp://93.184.216.34/hooks")]
    [InlineData("not a url")]
    [InlineData("https://user:pass@93.184.216.34/hooks")]
    public async Task CheckUrl_NotPlainHttpUrl_Refused(string url) => Assert.NotNull(await Guard(allowPrivate: true).CheckUrlAsync(Webhook, url, default));

    [Fact]
    public async Task CheckUrl_PublicAddress_Allowed() => Assert.Null(await Guard().CheckUrlAsync(Webhook, "https://93.184.216.34/hooks", default));

    [Fact]
    public async Task CheckUrl_LoopbackWhenConfigurationAllows_Allowed() => Assert.Null(await Guard(allowPrivate: true).CheckUrlAsync(Webhook, "http://127.0.0.1:5090/hooks", default));

    [Fact]
    public async Task AllowedAddresses_HostResolvingToLoopback_Throws() =>
        await Assert.ThrowsAsync<HttpRequestException>(() => Guard().AllowedAddressesAsync(Webhook, "localhost", default));

    [Theory]
    [InlineData("http://10.0.0.1/api")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://localhost:5090/suppliers/acme")]
    [InlineData("http://[::1]/api")]
    [InlineData("http://[::ffff:10.0.0.1]/api")]
    public async Task CheckUrl_SupplierPrivateWhileWebhooksMayBe_Refused(string url)
    {
        // The two switches are independent: allowing private storefront targets does not open suppliers.
        var problem = await Guard(allowPrivate: true).CheckUrlAsync(OutboundTarget.Supplier, url, default);

        Assert.NotNull(problem);
        Assert.Contains("private, loopback or link-local", problem);
    }

    [Fact]
    public async Task CheckUrl_SupplierPublicLiteral_Allowed() =>
        Assert.Null(await Guard().CheckUrlAsync(OutboundTarget.Supplier, "https://93.184.216.34/api", default));

    [Fact]
    public async Task CheckUrl_SupplierLoopbackWhenSuppliersAllowed_AllowedButWebhooksStillRefused()
    {
        var guard = Guard(allowPrivateSuppliers: true);

        Assert.Null(await guard.CheckUrlAsync(OutboundTarget.Supplier, "http://127.0.0.1:5090/suppliers/acme", default));
        Assert.NotNull(await guard.CheckUrlAsync(Webhook, "http://127.0.0.1:5090/hooks", default));
    }

    [Fact]
    public async Task AllowedAddresses_NameRebindsAfterSave_RefusedAtConnect()
    {
        var resolver = new SwitchingResolver(IPAddress.Parse("93.184.216.34"));
        var guard = Guard(resolver: resolver);
        Assert.Null(await guard.CheckUrlAsync(OutboundTarget.Supplier, "https://supplier.example/api", default));

        resolver.Rebind(IPAddress.Parse("169.254.169.254"));

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => guard.AllowedAddressesAsync(OutboundTarget.Supplier, "supplier.example", default));
        Assert.Contains("169.254.169.254", refused.Message);
    }

    [Fact]
    public async Task AllowedAddresses_NameWithOnePrivateAnswerAmongPublic_Refused()
    {
        var guard = Guard(resolver: new SwitchingResolver(IPAddress.Parse("93.184.216.34"), IPAddress.Parse("10.1.2.3")));

        await Assert.ThrowsAsync<HttpRequestException>(() => guard.AllowedAddressesAsync(OutboundTarget.Supplier, "supplier.example", default));
    }
}
