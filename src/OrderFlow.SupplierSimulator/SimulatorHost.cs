namespace OrderFlow.SupplierSimulator;

/// <summary>The simulator's entry point: a stand-in supplier, carrier and storefront.</summary>
public static class SimulatorHost
{
    public static async Task<int> Main(string[] args)
    {
        var app = WebApplication.CreateBuilder(args).Build();
        app.MapGet("/health", () => "ok");
        await app.RunAsync();
        return 0;
    }
}
