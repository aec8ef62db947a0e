using System.Reflection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace OrderFlow.Engine.Persistence;

/// <summary>
/// Applies a module's embedded <c>Migrations/*.sql</c> scripts once each, in name order, under a PostgreSQL
/// advisory lock so that several processes starting together migrate exactly once.
/// </summary>
public static class SqlMigrator
{
    private const long MigrationLockKey = 0x4F72_6465_7246_6C6F; // "OrderFlo"

    public static async Task RunAsync(NpgsqlDataSource dataSource, string module, Assembly assembly, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        var scripts = assembly.GetManifestResourceNames()
            .Where(n => n.Contains(".Migrations.", StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToList();

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await Execute(connection, null, "SELECT pg_advisory_lock(@key)", cancellationToken, ("key", MigrationLockKey));
        try
        {
            await Execute(connection, null, """
                CREATE TABLE IF NOT EXISTS public.orderflow_migrations (
                    module text NOT NULL,
                    name text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now(),
                    PRIMARY KEY (module, name))
                """, cancellationToken);

            foreach (var script in scripts)
            {
                var name = script[(script.IndexOf(".Migrations.", StringComparison.Ordinal) + ".Migrations.".Length)..];
                await using var tx = await connection.BeginTransactionAsync(cancellationToken);
                await using (var check = new NpgsqlCommand("SELECT 1 FROM public.orderflow_migrations WHERE module = @m AND name = @n", connection, tx))
                {
                    check.Parameters.AddWithValue("m", module);
                    check.Parameters.AddWithValue("n", name);
                    if (await check.ExecuteScalarAsync(cancellationToken) is not null)
                    {
                        continue;
                    }
                }

                await using var stream = assembly.GetManifestResourceStream(script)!;
                using var reader = new StreamReader(stream);
                await Execute(connection, tx, await reader.ReadToEndAsync(cancellationToken), cancellationToken);
                await Execute(connection, tx, "INSERT INTO public.orderflow_migrations (module, name) VALUES (@m, @n)", cancellationToken, ("m", module), ("n", name));
                await tx.CommitAsync(cancellationToken);
                logger?.LogInformation("Applied migration {Module}/{Migration}", module, name);
            }
        }
        finally
        {
            await SessionState.GiveBackAsync(connection, "SELECT pg_advisory_unlock(@key)", ("key", MigrationLockKey));
        }
    }

    private static async Task Execute(NpgsqlConnection connection, NpgsqlTransaction? tx, string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, tx);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync(ct);
    }
}
