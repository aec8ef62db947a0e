using OrderFlow.Fulfillment.Intake.Formats;

namespace OrderFlow.Fulfillment.Intake;

/// <summary>The intake formats this server accepts, by name.</summary>
public sealed class IntakeFormats(IEnumerable<IIntakeFormat> formats)
{
    private readonly Dictionary<string, IIntakeFormat> _byName = formats.ToDictionary(f => f.Name, StringComparer.Ordinal);

    public IIntakeFormat Standard => _byName["standard"];

    public IReadOnlyCollection<string> Names => _byName.Keys;

    public IIntakeFormat? Find(string name) => _byName.GetValueOrDefault(name);
}
