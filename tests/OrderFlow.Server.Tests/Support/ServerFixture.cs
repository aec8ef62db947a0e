using OrderFlow.Testing;

namespace OrderFlow.Server.Tests.Support;

/// <summary>One server on its own fresh database per test class.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public TestDatabase Database { get; } = new();

    public ServerFactory Factory { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        Factory = new ServerFactory(Database.ConnectionString);
        _ = Factory.Server;
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Database.DisposeAsync();
    }
}
