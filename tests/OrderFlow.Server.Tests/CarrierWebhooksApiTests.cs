using System.Net;
using OrderFlow.Server.Tests.Support;
using OrderFlow.Testing;

namespace OrderFlow.Server.Tests;

public sealed class CarrierWebhooksApiTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Post_UnsignedAfterShipWebhook_Unauthorized()
    {
        var response = await fixture.Factory.ClientAs(null).PostAsync("/webhooks/carriers/aftership",
            new StringContent("""{"event":"tracking_update","event_id":"e1","msg":{"tracking_number":"X","tag":"Delivered"}}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
