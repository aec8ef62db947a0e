namespace OrderFlow.Chaos;

/// <summary>What one scenario printed and whether its invariants held.</summary>
internal sealed class Scenario(int number, string title)
{
    public int Number { get; } = number;
    public string Title { get; } = title;
    public List<string> Lines { get; } = [];
    public List<string> Violations { get; } = [];
    public TimeSpan Duration { get; set; }

    public bool Passed => Violations.Count == 0;

    public void Print(string line)
    {
        Lines.Add(line);
        Console.WriteLine($"  {line}");
    }

    public void Require(bool condition, string violation)
    {
        if (!condition)
        {
            Violations.Add(violation);
            Console.WriteLine($"  VIOLATION: {violation}");
        }
    }

    public void Record(Figures figures)
    {
        Print(figures.ToString());
        foreach (var violation in figures.Violations())
        {
            Require(false, violation);
        }
    }
}
