namespace OrderFlow.Engine.Tests.Simulation;

/// <summary>
/// A fake supplier with a ledger of the orders it created, deduplicated by idempotency key like a real supplier API.
/// Per seed it fails a share of calls before creating anything, and another share after creating the order (the answer is lost).
/// </summary>
public sealed class SimSupplier
{
    private Random _random = new(0);
    private double _failBefore;
    private double _failAfter;
    private int _seed;

    /// <summary>Orders by idempotency key, in the order they were created.</summary>
    public Dictionary<string, SimSupplierOrder> Ledger { get; } = [];

    public int Calls { get; private set; }

    /// <summary>Starts a seed; order ids carry the seed so that no event of one seed can reach another seed's instances.</summary>
    public void Reset(int seed, Random random, double failBefore, double failAfter)
    {
        _seed = seed;
        _random = random;
        _failBefore = failBefore;
        _failAfter = failAfter;
        Ledger.Clear();
        Calls = 0;
    }

    public SimSupplierOrder Place(string idempotencyKey, Guid instanceId, DateTimeOffset now)
    {
        Calls++;
        if (_random.NextDouble() < _failBefore)
        {
            throw new HttpRequestException("503 from the supplier");
        }

        if (!Ledger.TryGetValue(idempotencyKey, out var order))
        {
            order = new SimSupplierOrder($"SO-{_seed}-{Ledger.Count + 1}", instanceId, idempotencyKey, now);
            Ledger[idempotencyKey] = order;
        }

        if (_random.NextDouble() < _failAfter)
        {
            throw new HttpRequestException("connection reset after the supplier committed");
        }

        return order;
    }
}

/// <summary>One order in the fake supplier's ledger.</summary>
public sealed record SimSupplierOrder(string Id, Guid InstanceId, string IdempotencyKey, DateTimeOffset PlacedAt);
