namespace OrderFlow.Testing;

/// <summary>Waiting for work that a background service does in its own time.</summary>
public static class Poll
{
    /// <summary>Checks <paramref name="condition"/> every 50 ms until it holds; fails the test, naming <paramref name="what"/>, after <paramref name="seconds"/>.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Not within {seconds} s: {what}.");
            await Task.Delay(50);
        }
    }

    /// <inheritdoc cref="UntilAsync(Func{Task{bool}}, string, int)"/>
    public static Task UntilAsync(Func<bool> condition, string what, int seconds = 30) => UntilAsync(() => Task.FromResult(condition()), what, seconds);
}
