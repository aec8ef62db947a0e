using System.Net;
using Microsoft.Extensions.Options;

namespace OrderFlow.SupplierSimulator.Tests;

public sealed class SimulatorAppTests
{
    [Fact]
    public async Task Health_Started_ReturnsOk()
    {
        await using var sim = await TestSimulator.StartAsync();

        using var response = await sim.Http.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("Simulator:Knobs:ErrorRate", "1.5")]
    [InlineData("Simulator:Knobs:TransitSeconds", "-2")]
    [InlineData("Simulator:Stock", "-1")]
    public async Task Start_InvalidConfiguration_FailsFast(string key, string value)
    {
        await using var app = SimulatorApp.Create([$"--{key}={value}", "--Serilog:MinimumLevel:Default=Fatal"]);
        app.Urls.Add("http://127.0.0.1:0");

        await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
    }
}
