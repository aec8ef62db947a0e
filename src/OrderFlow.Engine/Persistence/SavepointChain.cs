using Npgsql;

namespace OrderFlow.Engine.Persistence;

/// <summary>
/// A run of units of work in one transaction, each under its own savepoint, so a failed unit's writes are undone without
/// losing the others' (a burst's activities, a sweep's supplier orders). Every unit opens a savepoint of the same name and
/// releases the previous one in the same round trip; the last is released by the commit. One round trip per unit
/// instead of two.
/// </summary>
public sealed class SavepointChain(NpgsqlTransaction transaction, string name, CancellationToken cancellationToken)
{
    private bool _open;

    /// <summary>Opens the savepoint the next unit's writes go under (releasing the previous one).</summary>
    public async Task BeginAsync()
    {
        var connection = transaction.Connection ?? throw new InvalidOperationException("The transaction has ended.");
        await using var command = new NpgsqlCommand(_open ? $"RELEASE SAVEPOINT {name}; SAVEPOINT {name}" : $"SAVEPOINT {name}", connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
        _open = true;
    }

    /// <summary>Undoes the writes made since <see cref="BeginAsync"/>; the transaction is usable again afterwards.</summary>
    public Task RollbackAsync() => transaction.RollbackAsync(name, cancellationToken);
}
