using System.ComponentModel.DataAnnotations;

namespace OrderFlow.Server.Hosting;

/// <summary>Host settings, bound from <c>OrderFlow:Server</c>.</summary>
public sealed class ServerOptions
{
    public const string Section = "OrderFlow:Server";

    /// <summary>
    /// Hangfire workers in this process; each runs one sweep (tracking, catalogue, engine) at a time. Bursts do not use them:
    /// they run on the engine's burst worker (<c>OrderFlow:Engine:BurstWorkers</c>).
    /// </summary>
    [Range(1, 200)]
    public int HangfireWorkers { get; set; } = 4;
}
