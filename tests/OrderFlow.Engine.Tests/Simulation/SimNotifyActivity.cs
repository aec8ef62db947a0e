using Npgsql;
using OrderFlow.Engine.Activities;

namespace OrderFlow.Engine.Tests.Simulation;

/// <summary>Writes a notification into the simulation's outbox in the burst's transaction; the simulated pump sends it later.</summary>
public sealed class SimNotifyActivity : IActivity
{
    public ActivityDescriptor Descriptor { get; } = new()
    {
        Type = "Sim.Notify", Category = "Simulation", DisplayName = "Notify (outbox)",
        Inputs = [new InputDescriptor("kind", "string", "Kind", Required: true)],
    };

    public async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        await using var command = new NpgsqlCommand("INSERT INTO sim.outbox (key, instance_id, kind) VALUES ($1, $2, $3)", context.Connection, context.Transaction)
        {
            Parameters = { new() { Value = context.IdempotencyKey }, new() { Value = context.InstanceId }, new() { Value = context.GetRequiredString("kind") } },
        };
        await command.ExecuteNonQueryAsync(context.CancellationToken);
        return ActivityResult.Done();
    }
}
