namespace OrderFlow.Engine.Runtime;

/// <summary>Chance, injectable and seedable, so simulations and tests control retry jitter.</summary>
public sealed class RandomSource(int? seed = null)
{
    private readonly Random _random = seed is { } s ? new Random(s) : new Random();
    private readonly Lock _gate = new();

    public double NextDouble()
    {
        lock (_gate)
        {
            return _random.NextDouble();
        }
    }
}
