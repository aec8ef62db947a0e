using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using Npgsql;

namespace OrderFlow.Engine.Definitions;

/// <summary>
/// Published versions (immutable, so cached without invalidation on any number of processes) and drafts. Which version is
/// the latest is cached for <see cref="LatestVersionCacheTime"/> for starting instances (<see cref="GetLatestVersionCachedAsync"/>):
/// a publish on this process is seen at once, a publish on another process within that time.
/// </summary>
public sealed class DefinitionStore(NpgsqlDataSource dataSource, DefinitionValidator validator, TimeProvider clock)
{
    /// <summary>How long a process keeps starting instances of the version it last read as the latest.</summary>
    public static readonly TimeSpan LatestVersionCacheTime = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<(string, int), WorkflowDefinition> _versions = new();
    private readonly ConcurrentDictionary<string, (int Version, DateTimeOffset ReadAt)> _latest = new();

    public async Task<WorkflowDefinition?> GetVersionAsync(string definitionId, int version, CancellationToken ct = default)
    {
        if (_versions.TryGetValue((definitionId, version), out var cached))
        {
            return cached;
        }

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await GetVersionAsync(definitionId, version, connection, null, ct);
    }

    /// <summary>
    /// Reads through the caller's connection: code that holds a connection (and locks) must never wait for a second one from
    /// the pool, or enough concurrent callers exhaust the pool and wait on each other until its timeout.
    /// </summary>
    public async Task<WorkflowDefinition?> GetVersionAsync(string definitionId, int version, NpgsqlConnection connection, NpgsqlTransaction? tx, CancellationToken ct = default)
    {
        if (_versions.TryGetValue((definitionId, version), out var cached))
        {
            return cached;
        }

        var json = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT definition::text FROM engine.workflow_definitions WHERE definition_id = @definitionId AND version = @version",
            new { definitionId, version }, tx, cancellationToken: ct));
        if (json is null)
        {
            return null;
        }

        var definition = Parse(json) with { Version = version };
        _versions[(definitionId, version)] = definition;
        return definition;
    }

    /// <summary>The latest published version as the database has it now (and remembered for <see cref="GetLatestVersionCachedAsync"/>).</summary>
    public async Task<int?> GetLatestVersionAsync(string definitionId, NpgsqlConnection connection, NpgsqlTransaction? tx, CancellationToken ct = default)
    {
        var readAt = clock.GetUtcNow();
        var version = await connection.QuerySingleOrDefaultAsync<int?>(new CommandDefinition(
            "SELECT max(version) FROM engine.workflow_definitions WHERE definition_id = @definitionId",
            new { definitionId }, tx, cancellationToken: ct));
        if (version is { } v)
        {
            Remember(definitionId, v, readAt);
        }

        return version;
    }

    /// <summary>
    /// The latest published version, read through the caller's connection at most once per <see cref="LatestVersionCacheTime"/>
    /// (no round trip on the hot path of starting instances). The trade-off: a version published by another process is
    /// started here up to that long after its publish; one published by this process is seen at once.
    /// </summary>
    public async ValueTask<int?> GetLatestVersionCachedAsync(string definitionId, NpgsqlConnection connection, NpgsqlTransaction? tx, CancellationToken ct = default)
    {
        if (_latest.TryGetValue(definitionId, out var cached))
        {
            var age = clock.GetUtcNow() - cached.ReadAt;
            if (age >= TimeSpan.Zero && age < LatestVersionCacheTime)
            {
                return cached.Version;
            }
        }

        return await GetLatestVersionAsync(definitionId, connection, tx, ct);
    }

    private void Remember(string definitionId, int version, DateTimeOffset readAt) =>
        _latest.AddOrUpdate(definitionId, (version, readAt), (_, old) => version >= old.Version ? (version, readAt) : old);

    public async Task<IReadOnlyList<DefinitionSummary>> ListAsync(CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<DefinitionSummary>(new CommandDefinition("""
            SELECT coalesce(d.definition_id, w.definition_id) AS DefinitionId,
                   coalesce(d.name, w.definition->>'name', w.definition_id) AS Name,
                   coalesce(d.version, 0) AS LatestVersion,
                   d.published_at AS PublishedAt,
                   w.definition_id IS NOT NULL AS HasDraft
            FROM (SELECT DISTINCT ON (definition_id) * FROM engine.workflow_definitions ORDER BY definition_id, version DESC) d
            FULL JOIN engine.workflow_drafts w ON w.definition_id = d.definition_id
            ORDER BY 1
            """, cancellationToken: ct));
        return rows.ToList();
    }

    public async Task<IReadOnlyList<VersionSummary>> ListVersionsAsync(string definitionId, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<VersionSummary>(new CommandDefinition(
            "SELECT version AS Version, published_at AS PublishedAt, published_by AS PublishedBy, content_hash AS ContentHash FROM engine.workflow_definitions WHERE definition_id = @definitionId ORDER BY version DESC",
            new { definitionId }, cancellationToken: ct));
        return rows.ToList();
    }

    public async Task<WorkflowDefinition?> GetDraftAsync(string definitionId, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var json = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT definition::text FROM engine.workflow_drafts WHERE definition_id = @definitionId", new { definitionId }, cancellationToken: ct));
        return json is null ? null : Parse(json);
    }

    /// <summary>Saves a draft. Drafts may be invalid (work in progress); the errors are returned so the designer can show them.</summary>
    public async Task<IReadOnlyList<ValidationError>> SaveDraftAsync(WorkflowDefinition draft, string actor, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO engine.workflow_drafts (definition_id, definition, updated_at, updated_by)
            VALUES (@Id, @Json::jsonb, @Now, @actor)
            ON CONFLICT (definition_id) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at, updated_by = excluded.updated_by
            """, new { draft.Id, Json = Serialize(draft with { Version = 0 }), Now = clock.GetUtcNow(), actor }, cancellationToken: ct));
        return validator.Validate(draft);
    }

    /// <summary>
    /// Publishes a new immutable version if the definition is valid and differs from the latest version.
    /// Returns the version that now holds this content.
    /// </summary>
    public async Task<PublishResult> PublishAsync(WorkflowDefinition definition, string actor, CancellationToken ct = default)
    {
        var errors = validator.Validate(definition);
        if (errors.Count > 0)
        {
            return new PublishResult(null, false, errors);
        }

        var json = Serialize(definition with { Version = 0, Schema = null });
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        // Serialises publishers of the same definition across processes.
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(hashtext('engine.publish:' || @Id))", new { definition.Id }, tx, cancellationToken: ct));
        var latest = await connection.QuerySingleOrDefaultAsync<(int Version, string Hash)?>(new CommandDefinition(
            "SELECT version, content_hash FROM engine.workflow_definitions WHERE definition_id = @Id ORDER BY version DESC LIMIT 1",
            new { definition.Id }, tx, cancellationToken: ct));
        if (latest is { } l && l.Hash == hash)
        {
            await tx.CommitAsync(ct);
            Remember(definition.Id, l.Version, clock.GetUtcNow());
            return new PublishResult(l.Version, false, []);
        }

        var version = (latest?.Version ?? 0) + 1;
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO engine.workflow_definitions (definition_id, version, name, definition, content_hash, published_at, published_by)
            VALUES (@Id, @version, @Name, @json::jsonb, @hash, @now, @actor)
            """, new { definition.Id, version, definition.Name, json, hash, now = clock.GetUtcNow(), actor }, tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM engine.workflow_drafts WHERE definition_id = @Id", new { definition.Id }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        Remember(definition.Id, version, clock.GetUtcNow());
        return new PublishResult(version, true, []);
    }

    public static WorkflowDefinition Parse(string json) =>
        JsonSerializer.Deserialize<WorkflowDefinition>(json, JsonDefaults.Options)
        ?? throw new JsonException("A workflow definition cannot be null.");

    public static string Serialize(WorkflowDefinition definition) => JsonSerializer.Serialize(definition, JsonDefaults.Options);
}

/// <summary>The outcome of a publish: the version holding the content, whether it was new, or why it was refused.</summary>
public sealed record PublishResult(int? Version, bool Created, IReadOnlyList<ValidationError> Errors);

/// <summary>A definition in the list: its latest published version and whether a draft exists.</summary>
public sealed record DefinitionSummary(string DefinitionId, string Name, int LatestVersion, DateTime? PublishedAt, bool HasDraft);

/// <summary>One published version.</summary>
public sealed record VersionSummary(int Version, DateTime PublishedAt, string PublishedBy, string ContentHash);
