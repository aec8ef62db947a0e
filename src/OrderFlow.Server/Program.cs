using OrderFlow.Engine;
using OrderFlow.Fulfillment;
using OrderFlow.Server.Apis;
using OrderFlow.Server.Hosting;

var builder = WebApplication.CreateBuilder(args);

builder.AddOrderFlowHosting();
builder.Services.AddOrderFlowEngine(builder.Configuration);
builder.Services.AddOrderFlowFulfillment(builder.Configuration);
builder.SkipBackgroundServicesWhenGeneratingOpenApi();

var app = builder.Build();

app.UseOrderFlowHosting();
app.MapIntakeApi();
app.MapOrdersApi();
app.MapMerchantsApi();
app.MapRoutingApi();
app.MapSuppliersApi();
app.MapSupplierHealthApi();
app.MapWorkflowsApi();
app.MapInstancesApi();
app.MapIncidentsApi();
app.MapSubscriptionsApi();
app.MapNotificationTemplatesApi();
app.MapEventsApi();
app.MapTrackingPageApi();
app.MapCarrierWebhooksApi();
app.MapSupplierCallbacksApi();
app.MapAuthApi();
app.MapConsole();

app.Run();

/// <summary>The server's entry point, public so tests can host it.</summary>
public partial class Program;
