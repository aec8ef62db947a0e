using System.Text.Json.Nodes;
using OrderFlow.Engine.Definitions;
using static OrderFlow.Engine.Tests.Support.Flow;

namespace OrderFlow.Engine.Tests.Simulation;

/// <summary>
/// The simulated order workflow: place at the supplier (retried), wait for its acceptance, then in parallel notify and wait a
/// timer, join, wait for the shipment and notify again. The same shapes as the drop-ship workflow, on the engine alone.
/// </summary>
public static class SimWorkflow
{
    public const string Id = "sim-order";
    public const string Accepted = "sim.accepted";
    public const string Shipped = "sim.shipped";

    /// <summary>Every activity completes exactly once in a finished instance.</summary>
    public static readonly string[] Activities =
        ["start", "place", "waitAccepted", "fork", "notifyAccepted", "delay", "join", "waitShipped", "notifyShipped", "end"];

    public static readonly string[] NotificationKinds = ["accepted", "shipped"];

    public static WorkflowDefinition Definition { get; } = Of(Id)
        .Add("place", "Sim.Place")
        .Add("waitAccepted", "WaitForEvent", new JsonObject { ["eventName"] = Accepted, ["correlationKey"] = Js("outputs.place.supplierOrderId") })
        .Add("fork", "Fork", new JsonObject { ["branches"] = new JsonArray("A", "B") })
        .Add("notifyAccepted", "Sim.Notify", new JsonObject { ["kind"] = "accepted" })
        .Add("delay", "Delay", new JsonObject { ["seconds"] = 600 })
        .Add("join", "Join")
        .Add("waitShipped", "WaitForEvent", new JsonObject { ["eventName"] = Shipped, ["correlationKey"] = Js("outputs.place.supplierOrderId") })
        .Add("notifyShipped", "Sim.Notify", new JsonObject { ["kind"] = "shipped" })
        .Add("end", "End")
        .Then("start", "place").Then("place", "waitAccepted").Then("waitAccepted", "fork")
        .Connect("fork", "A", "notifyAccepted").Connect("fork", "B", "delay")
        .Then("notifyAccepted", "join").Then("delay", "join")
        .Then("join", "waitShipped").Then("waitShipped", "notifyShipped").Then("notifyShipped", "end")
        .Build();
}
