using Microsoft.Extensions.Logging;

namespace OrderFlow.Engine.Definitions;

/// <summary>Publishes the workflow files shipped in <c>workflows/</c> at start-up; unchanged files publish nothing.</summary>
public sealed class ShippedDefinitionLoader(DefinitionStore store, ILogger<ShippedDefinitionLoader> logger)
{
    public async Task LoadAsync(string directory, CancellationToken ct)
    {
        if (!Directory.Exists(directory))
        {
            logger.LogWarning("Workflows directory {Directory} does not exist; no shipped workflows loaded", directory);
            return;
        }

        foreach (var file in Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            var definition = DefinitionStore.Parse(await File.ReadAllTextAsync(file, ct));
            var result = await store.PublishAsync(definition, "system:shipped-file", ct);
            if (result.Errors.Count > 0)
            {
                throw new InvalidOperationException(
                    $"Shipped workflow {file} is invalid: " + string.Join("; ", result.Errors.Select(e => $"{e.Path}: {e.Message}")));
            }

            if (result.Created)
            {
                logger.LogInformation("Published shipped workflow {DefinitionId} as version {Version}", definition.Id, result.Version);
            }
        }
    }
}
