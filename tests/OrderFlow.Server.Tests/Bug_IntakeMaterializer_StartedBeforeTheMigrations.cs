using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OrderFlow.Server.Tests.Support;

namespace OrderFlow.Server.Tests;

/// <summary>
/// The intake materializer was registered as a hosted service before the fulfillment start-up that migrates the schema,
/// so on a fresh database its first batch ran while the migrations did and logged
/// "relation fulfillment.intake_events does not exist" with a stack trace at every first start (seen in the bench's
/// server log). The host starts hosted services one after the other in registration order.
/// </summary>
public sealed class Bug_IntakeMaterializer_StartedBeforeTheMigrations(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public void HostedServices_IntakeMaterializer_StartsAfterBothSchemasAreMigrated()
    {
        // The order below only holds if the host starts its hosted services one after the other (its default).
        Assert.False(server.Factory.Services.GetRequiredService<IOptions<HostOptions>>().Value.ServicesStartConcurrently);
        var order = server.Factory.Services.GetServices<IHostedService>().Select(s => s.GetType().Name).ToList();

        var materializer = order.IndexOf("IntakeMaterializer");
        Assert.True(materializer >= 0, $"IntakeMaterializer is not a hosted service: {string.Join(", ", order)}");
        Assert.InRange(order.IndexOf("EngineStartup"), 0, materializer - 1);
        Assert.InRange(order.IndexOf("FulfillmentStartup"), 0, materializer - 1);
    }
}
