namespace OrderFlow.SupplierSimulator;

/// <summary>The one source of randomness, seeded from <c>Simulator:Seed</c> so a run can be replayed; thread-safe.</summary>
internal sealed class RandomSource(int? seed)
{
    private readonly Random _random = seed is { } s ? new Random(s) : new Random();
    private readonly Lock _lock = new();

    /// <summary>True with probability <paramref name="rate"/>; 0 never, 1 always.</summary>
    public bool Chance(double rate)
    {
        lock (_lock)
        {
            return _random.NextDouble() < rate;
        }
    }

    public int Next(int minInclusive, int maxExclusive)
    {
        lock (_lock)
        {
            return _random.Next(minInclusive, maxExclusive);
        }
    }

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(0, items.Count)];
}
