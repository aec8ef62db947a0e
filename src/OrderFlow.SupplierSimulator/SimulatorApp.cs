using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OrderFlow.SupplierSimulator.Admin;
using OrderFlow.SupplierSimulator.Sending;
using OrderFlow.SupplierSimulator.Sms;
using OrderFlow.SupplierSimulator.Storefront;
using OrderFlow.SupplierSimulator.Suppliers;
using OrderFlow.SupplierSimulator.Suppliers.Parcelhub;
using Serilog;
using Serilog.Events;

namespace OrderFlow.SupplierSimulator;

/// <summary>The simulator's entry point: stand-in suppliers (with their carrier), a storefront inbox, an SMS provider and an order sender.</summary>
public static class SimulatorApp
{
    private const string OutputTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj} {Properties:j}{NewLine}{Exception}";

    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "send-orders")
        {
            return await OrderSender.RunAsync(args[1..]);
        }

        var app = Create(args);
        await app.RunAsync();
        return 0;
    }

    /// <summary>Builds the web app (not started). <paramref name="configure"/> runs last, so tests can replace any service.</summary>
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // "--fast" has no value, which the command-line configuration provider cannot express.
        var fast = args.Contains("--fast");
        var builder = WebApplication.CreateBuilder(args.Where(a => a != "--fast").ToArray());
        if (fast)
        {
            builder.Configuration["Simulator:Fast"] = "true";
        }

        var services = builder.Services;
        // preserveStaticLogger: OrderFlow's end-to-end tests host the server in the same process, and it owns Log.Logger.
        services.AddSerilog((_, logger) => logger
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .ReadFrom.Configuration(builder.Configuration)
            .Enrich.FromLogContext()
            .WriteTo.Console(outputTemplate: OutputTemplate), preserveStaticLogger: true);
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase);
        services.AddOptions<SimulatorOptions>()
            .Bind(builder.Configuration.GetSection(SimulatorOptions.Section))
            .Validate(o => o.Errors().Count == 0, "Simulator options are invalid; see the Simulator:Knobs rules")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new RandomSource(sp.GetRequiredService<IOptions<SimulatorOptions>>().Value.Seed));
        services.AddSingleton<KnobStore>();
        services.AddSingleton<SupplierOrderBook>();
        services.AddSingleton<StorefrontInbox>();
        services.AddSingleton<SmsOutbox>();

        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // The middleware would log through the static Log.Logger, which this app deliberately leaves alone.
        app.UseSerilogRequestLogging(o => o.Logger = app.Services.GetRequiredService<Serilog.ILogger>());
        app.MapGet("/health", () => Results.Text("ok"));
        app.MapSupplierApi();
        app.MapParcelhubApi();
        app.MapStorefrontApi();
        app.MapSmsProviderApi();
        app.MapKnobsApi();
        return app;
    }

    /// <summary>The first address the started app listens on, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public static string BaseAddress(this WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        return addresses?.FirstOrDefault() ?? throw new InvalidOperationException("The app has no address; start it first.");
    }
}
