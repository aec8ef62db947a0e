using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace OrderFlow.Engine.Persistence;

/// <summary>A migration: its file name (the order it runs in) and its SQL.</summary>
public sealed record MigrationScript(string Name, string Sql)
{
    /// <summary>
    /// The first line that marks a migration to run outside a transaction, a statement at a time: for
    /// <c>CREATE INDEX CONCURRENTLY</c>, which builds an index on a large table without blocking its writers (a plain
    /// <c>CREATE INDEX</c> holds off every insert and update of the table until it is built).
    /// </summary>
    public const string NoTransactionMarker = "-- orderflow: no transaction";

    public bool InTransaction => !Sql.StartsWith(NoTransactionMarker, StringComparison.Ordinal);

    /// <summary>
    /// The statements of a migration that runs outside a transaction: each ends with a <c>;</c> at the end of a line.
    /// Such a migration holds no function bodies or other dollar-quoted text and no <c>--</c> inside a string (it is for
    /// index builds; comments are taken out before splitting), and every statement
    /// must be safe to run again (<c>IF NOT EXISTS</c>, or a drop before the build): if the migration stops half-way (a
    /// crash, a failed build that left an invalid index), the next start runs it again from the top.
    /// </summary>
    public IReadOnlyList<string> Statements()
    {
        if (Sql.Contains("$$", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Migration {Name} runs outside a transaction and must not contain dollar-quoted text ($$): put functions in a migration of their own.");
        }

        var code = Regex.Replace(Sql, "--[^\n]*", "");
        return Regex.Split(code, @";[ \t]*(?:\r?\n|$)")
            .Select(s => s.Trim())
            .Where(s => s.Length > 0)
            .ToList();
    }
}

/// <summary>
/// Applies a module's embedded <c>Migrations/*.sql</c> scripts once each, in name order, under a PostgreSQL
/// advisory lock so that several processes starting together migrate exactly once. A script runs in one transaction
/// with its record in <c>public.orderflow_migrations</c>, unless its first line is
/// <see cref="MigrationScript.NoTransactionMarker"/>: then its statements run one by one and it is recorded after the
/// last (see <see cref="MigrationScript.Statements"/>).
/// </summary>
public static class SqlMigrator
{
    private const long MigrationLockKey = 0x4F72_6465_7246_6C6F; // "OrderFlo"

    public static Task RunAsync(NpgsqlDataSource dataSource, string module, Assembly assembly, ILogger? logger = null, CancellationToken cancellationToken = default) =>
        RunAsync(dataSource, module, EmbeddedScripts(assembly), logger, cancellationToken);

    public static async Task RunAsync(NpgsqlDataSource dataSource, string module, IReadOnlyList<MigrationScript> scripts, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await LockAsync(connection, module, logger, cancellationToken);
        try
        {
            await Execute(connection, null, """
                CREATE TABLE IF NOT EXISTS public.orderflow_migrations (
                    module text NOT NULL,
                    name text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now(),
                    PRIMARY KEY (module, name))
                """, cancellationToken);

            foreach (var script in scripts.OrderBy(s => s.Name, StringComparer.Ordinal))
            {
                await using var check = new NpgsqlCommand("SELECT 1 FROM public.orderflow_migrations WHERE module = @m AND name = @n", connection);
                check.Parameters.AddWithValue("m", module);
                check.Parameters.AddWithValue("n", script.Name);
                if (await check.ExecuteScalarAsync(cancellationToken) is not null)
                {
                    continue;
                }

                if (script.InTransaction)
                {
                    await using var tx = await connection.BeginTransactionAsync(cancellationToken);
                    await Execute(connection, tx, script.Sql, cancellationToken);
                    await Record(connection, tx, module, script.Name, cancellationToken);
                    await tx.CommitAsync(cancellationToken);
                }
                else
                {
                    var statements = script.Statements();
                    logger?.LogInformation("Applying migration {Module}/{Migration} outside a transaction ({Statements} statements; writers are not blocked)",
                        module, script.Name, statements.Count);
                    foreach (var statement in statements)
                    {
                        await Execute(connection, null, statement, cancellationToken);
                    }

                    await Record(connection, null, module, script.Name, cancellationToken);
                }

                logger?.LogInformation("Applied migration {Module}/{Migration}", module, script.Name);
            }
        }
        finally
        {
            await SessionState.GiveBackAsync(connection, "SELECT pg_advisory_unlock(@key)", ("key", MigrationLockKey));
        }
    }

    private static IReadOnlyList<MigrationScript> EmbeddedScripts(Assembly assembly) =>
        assembly.GetManifestResourceNames()
            .Where(n => n.Contains(".Migrations.", StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                using var stream = assembly.GetManifestResourceStream(n)!;
                using var reader = new StreamReader(stream);
                return new MigrationScript(n[(n.IndexOf(".Migrations.", StringComparison.Ordinal) + ".Migrations.".Length)..], reader.ReadToEnd());
            })
            .ToList();

    /// <summary>
    /// Takes the migrations' lock by trying, not by waiting in <c>pg_advisory_lock</c>: a statement that waits holds a
    /// snapshot, and <c>CREATE INDEX CONCURRENTLY</c> in the process that holds the lock waits for every older snapshot,
    /// so a second process waiting there would deadlock with the first (PostgreSQL would end one of them).
    /// </summary>
    private static async Task LockAsync(NpgsqlConnection connection, string module, ILogger? logger, CancellationToken ct)
    {
        var waitingSince = DateTimeOffset.UtcNow;
        var lastLog = waitingSince;
        while (true)
        {
            await using (var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection))
            {
                command.Parameters.AddWithValue("key", MigrationLockKey);
                if ((bool)(await command.ExecuteScalarAsync(ct))!)
                {
                    return;
                }
            }

            if (DateTimeOffset.UtcNow - lastLog >= TimeSpan.FromSeconds(10))
            {
                lastLog = DateTimeOffset.UtcNow;
                logger?.LogInformation("Waiting {Seconds:F0} s for another process's migrations before migrating {Module}",
                    (lastLog - waitingSince).TotalSeconds, module);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), ct);
        }
    }

    private static Task Record(NpgsqlConnection connection, NpgsqlTransaction? tx, string module, string name, CancellationToken ct) =>
        Execute(connection, tx, "INSERT INTO public.orderflow_migrations (module, name) VALUES (@m, @n)", ct, ("m", module), ("n", name));

    private static async Task Execute(NpgsqlConnection connection, NpgsqlTransaction? tx, string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        // No timeout: an index build on a large table can take minutes, and one that timed out would be tried again at
        // every start. Stopping the process (the token) still cancels it.
        await using var command = new NpgsqlCommand(sql, connection, tx) { CommandTimeout = 0 };
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync(ct);
    }
}
