using Npgsql;

namespace OrderFlow.Engine.Persistence;

/// <summary>
/// At most one run of a recurring sweep at a time across every process on the database, without waiting: a run that finds
/// another in progress returns at once (Hangfire's DisableConcurrentExecution would hold a worker until the other finished,
/// and with a sweep every second the waiting runs pile up and take every worker).
/// </summary>
public static class SingleRun
{
    /// <summary>A session advisory lock on <paramref name="name"/>, or null when another session holds it. Disposing releases it.</summary>
    public static async Task<IAsyncDisposable?> TryAcquireAsync(NpgsqlDataSource dataSource, string name, CancellationToken ct)
    {
        var connection = await dataSource.OpenConnectionAsync(ct);
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(hashtext($1))", connection) { Parameters = { new() { Value = name } } };
            if (await command.ExecuteScalarAsync(ct) is true)
            {
                return new Held(connection, name);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        await connection.DisposeAsync();
        return null;
    }

    private sealed class Held(NpgsqlConnection connection, string name) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                // The pool does not reset connections: if the unlock fails, SessionState keeps this one from being reused.
                await SessionState.GiveBackAsync(connection, "SELECT pg_advisory_unlock(hashtext(@name))", ("name", name));
            }
            finally
            {
                await connection.DisposeAsync();
            }
        }
    }
}
