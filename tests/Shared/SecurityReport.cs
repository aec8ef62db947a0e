namespace OrderFlow.Testing;

/// <summary>
/// Where security tests write their matrices and counts: a text file per report in ORDERFLOW_TEST_REPORTS (which
/// <c>./orderflow test</c> sets and prints at the end), else under the system's temp directory. Tests also pass the
/// same text to their xunit output, which lands in the TRX file.
/// </summary>
public static class SecurityReport
{
    public static string Directory { get; } = Environment.GetEnvironmentVariable("ORDERFLOW_TEST_REPORTS") is { Length: > 0 } dir
        ? dir
        : Path.Combine(Path.GetTempPath(), "orderflow-test-reports");

    /// <summary>Writes <paramref name="text"/> to <c>{name}.txt</c> and returns its path.</summary>
    public static string Write(string name, string text)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = Path.Combine(Directory, name + ".txt");
        File.WriteAllText(path, text.EndsWith('\n') ? text : text + "\n");
        return path;
    }
}
