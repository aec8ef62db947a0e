using System.Net;
using OrderFlow.Fulfillment.Security;

namespace OrderFlow.Fulfillment.Tests.Support;

/// <summary>A resolver whose answer a test changes, as DNS can between saving a URL and connecting to it.</summary>
public sealed class SwitchingResolver(params IPAddress[] initial) : IHostResolver
{
    private volatile IPAddress[] _answers = initial;

    public void Rebind(IPAddress address) => _answers = [address];

    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct) => Task.FromResult(_answers);
}
