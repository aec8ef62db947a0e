using Microsoft.Extensions.DependencyInjection;
using System.Collections.Frozen;

namespace OrderFlow.Engine.Activities;

/// <summary>The activity types this process can run, by type name.</summary>
public sealed class ActivityRegistry
{
    private readonly FrozenDictionary<string, ActivityDescriptor> _byType;

    public ActivityRegistry(IEnumerable<ActivityRegistration> registrations, IServiceProvider services)
    {
        using var scope = services.CreateScope();
        _byType = registrations
            .DistinctBy(r => r.ImplementationType)
            .Select(r => ((IActivity)scope.ServiceProvider.GetRequiredService(r.ImplementationType)).Descriptor with { ImplementationType = r.ImplementationType })
            .ToFrozenDictionary(d => d.Type, StringComparer.Ordinal);
    }

    public IReadOnlyCollection<ActivityDescriptor> Descriptors => _byType.Values;

    public ActivityDescriptor? Find(string type) => _byType.GetValueOrDefault(type);

    /// <summary>The outcomes an activity placed with these inputs can produce.</summary>
    public static IReadOnlyList<string> OutcomesOf(ActivityDescriptor descriptor, System.Text.Json.Nodes.JsonObject inputs)
    {
        if (descriptor.OutcomesFromInput is not { } inputName || inputs[inputName] is not System.Text.Json.Nodes.JsonArray items)
        {
            return descriptor.Outcomes;
        }

        var dynamicOutcomes = items
            .Select(i => i is System.Text.Json.Nodes.JsonObject o ? o["name"]?.GetValue<string>() : i?.GetValue<string>())
            .OfType<string>();
        return [.. dynamicOutcomes, .. descriptor.Outcomes];
    }
}

/// <summary>Marks an activity implementation as available; added by <c>AddActivity&lt;T&gt;()</c>.</summary>
public sealed record ActivityRegistration(Type ImplementationType);
