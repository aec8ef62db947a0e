namespace OrderFlow.Engine.Tests.Simulation;

/// <summary>The process "died" here: whatever the burst had not committed is gone.</summary>
public sealed class SimulatedCrash(string where) : Exception($"simulated crash at {where}");
