namespace OrderFlow.Engine.Activities;

/// <summary>An input is missing or has the wrong shape; retrying will not help, so it halts the path with an incident.</summary>
public sealed class ActivityInputException(string activityId, string input, string problem)
    : Exception($"Activity '{activityId}': input '{input}' {problem}.")
{
    public string Input { get; } = input;
}
