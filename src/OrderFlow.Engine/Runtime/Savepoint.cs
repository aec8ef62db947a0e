using Npgsql;

namespace OrderFlow.Engine.Runtime;

/// <summary>
/// Undoes a failed activity's writes without losing the rest of the burst. Every activity of a burst opens a savepoint of
/// the same name; the previous activity's is released in the same round trip, and the last one by the burst's commit, so an
/// activity costs one round trip here instead of two.
/// </summary>
internal sealed class ActivitySavepoints(NpgsqlTransaction transaction, CancellationToken cancellationToken)
{
    private const string Name = "activity";
    private bool _open;

    /// <summary>Opens the savepoint the next activity's writes go under (releasing the previous one).</summary>
    public async Task BeginAsync()
    {
        var connection = transaction.Connection ?? throw new InvalidOperationException("The burst's transaction has ended.");
        await using var command = new NpgsqlCommand(_open ? $"RELEASE SAVEPOINT {Name}; SAVEPOINT {Name}" : $"SAVEPOINT {Name}", connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
        _open = true;
    }

    /// <summary>Undoes the writes made since <see cref="BeginAsync"/>; the transaction is usable again afterwards.</summary>
    public Task RollbackAsync() => transaction.RollbackAsync(Name, cancellationToken);
}
