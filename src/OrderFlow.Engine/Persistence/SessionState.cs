using Npgsql;

namespace OrderFlow.Engine.Persistence;

/// <summary>
/// Session state (advisory locks, LISTEN) on a pooled connection. OrderFlow's data source does not reset a connection when
/// it goes back to the pool (<c>No Reset On Close</c>: the reset was ~6 statements per pool return, several per order), so
/// whoever takes session state gives it back; a connection whose state could not be given back is not reused.
/// </summary>
public static class SessionState
{
    /// <summary>Runs <paramref name="sql"/> (an unlock, an UNLISTEN); if it fails, the session is ended so the pool cannot hand it out again.</summary>
    public static async Task GiveBackAsync(NpgsqlConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        try
        {
            await using var command = new NpgsqlCommand(sql, connection);
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }

            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch
        {
            // The session ends, and its state with it: a broken connection is dropped by the pool, not reused.
            await EndSessionAsync(connection);
            throw;
        }
    }

    private static async Task EndSessionAsync(NpgsqlConnection connection)
    {
        try
        {
            await using var end = new NpgsqlCommand("SELECT pg_terminate_backend(pg_backend_pid())", connection);
            await end.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            // Expected: the server ends the session under the command (or the connection was broken already).
        }
    }
}
