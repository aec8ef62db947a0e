using Npgsql;

namespace OrderFlow.Engine.Runtime;

/// <summary>Undoes a failed activity's writes without losing the rest of the burst.</summary>
internal sealed class Savepoint : IAsyncDisposable
{
    private const string Name = "activity";
    private readonly NpgsqlTransaction _transaction;
    private readonly CancellationToken _cancellationToken;
    private bool _done;

    private Savepoint(NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        _transaction = transaction;
        _cancellationToken = cancellationToken;
    }

    public static async Task<Savepoint> CreateAsync(NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await transaction.SaveAsync(Name, cancellationToken);
        return new Savepoint(transaction, cancellationToken);
    }

    public async Task ReleaseAsync()
    {
        await _transaction.ReleaseAsync(Name, _cancellationToken);
        _done = true;
    }

    public async Task RollbackAsync()
    {
        await _transaction.RollbackAsync(Name, _cancellationToken);
        _done = true;
    }

    public ValueTask DisposeAsync() => _done ? ValueTask.CompletedTask : new ValueTask(RollbackAsync());
}
