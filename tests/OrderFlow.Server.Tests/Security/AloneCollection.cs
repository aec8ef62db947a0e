namespace OrderFlow.Server.Tests.Security;

/// <summary>
/// Tests that capture the process's logs: Serilog's logger is process-wide, so hosts of other test classes running at the
/// same time write into (and take over) the capture. Classes in this collection run after the others, one at a time.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollection
{
    public const string Name = "Runs alone";
}
