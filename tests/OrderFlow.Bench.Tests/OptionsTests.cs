namespace OrderFlow.Bench.Tests;

public class OptionsTests
{
    private static readonly string[] Required = ["--server-dll", "s.dll", "--pg", "Host=/tmp", "--sim", "http://127.0.0.1:5190/"];

    [Fact]
    public void The_full_run_and_the_quick_run_have_their_own_defaults()
    {
        var full = BenchOptions.Parse(Required, out var error);
        var quick = BenchOptions.Parse([.. Required, "--quick"], out _);

        Assert.Null(error);
        Assert.Equal("http://127.0.0.1:5190", full!.SimulatorUrl);
        Assert.Equal([10_000, 1_000_000], full.Seeds);
        Assert.Equal((90, 60, 1_500, 90, 20_000), (full.LifecycleWarmupSeconds, full.LifecycleSeconds, full.Backlog, full.IntakeSeconds, full.EmptyJobs));
        Assert.Equal([10_000, 100_000], quick!.Seeds);
        Assert.Equal((60, 20, 300, 10, 5_000), (quick.LifecycleWarmupSeconds, quick.LifecycleSeconds, quick.Backlog, quick.IntakeSeconds, quick.EmptyJobs));
    }

    [Fact]
    public void Given_values_win_over_the_defaults()
    {
        var options = BenchOptions.Parse([.. Required, "--quick", "--seeds", "10000", "--backlog", "1500", "--conditions", "quiet machine"], out _);

        Assert.Equal([10_000], options!.Seeds);
        Assert.Equal(1_500, options.Backlog);
        Assert.Equal("quiet machine", options.Conditions);
    }

    [Theory]
    [InlineData("--server-dll is required", "--pg", "x", "--sim", "y")]
    [InlineData("unknown option '--warmup'", "--warmup", "30")]
    [InlineData("--backlog needs a value", "--backlog")]
    [InlineData("unexpected argument 'fast'", "fast")]
    [InlineData("--backlog must be a positive whole number, got '-5'", "--backlog", "-5")]
    [InlineData("--seeds must be positive whole numbers separated by commas, got '10k,1M'", "--seeds", "10k,1M")]
    public void Bad_arguments_are_named_in_the_error(string expected, params string[] extra)
    {
        var args = extra[0] == "--pg" ? extra : [.. Required, .. extra];

        Assert.Null(BenchOptions.Parse(args, out var error));
        Assert.Equal(expected, error);
    }
}
