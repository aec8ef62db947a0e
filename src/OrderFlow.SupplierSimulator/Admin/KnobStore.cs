using Microsoft.Extensions.Options;

namespace OrderFlow.SupplierSimulator.Admin;

/// <summary>The current knobs; readers get an immutable snapshot, writers swap it atomically.</summary>
internal sealed class KnobStore(IOptions<SimulatorOptions> options)
{
    private volatile Knobs _current = options.Value.InitialKnobs();

    public Knobs Current => _current;

    public void Replace(Knobs knobs) => _current = knobs.Copy();
}
