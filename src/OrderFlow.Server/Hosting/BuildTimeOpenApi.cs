using System.Reflection;

namespace OrderFlow.Server.Hosting;

/// <summary>
/// The build runs the app to write the OpenAPI document (<c>Microsoft.Extensions.ApiDescription.Server</c>). There is
/// no database then, so the app starts none of its background services and maps nothing that needs storage; neither
/// adds API operations to the document.
/// </summary>
public static class BuildTimeOpenApi
{
    public static bool IsGenerating { get; } = Assembly.GetEntryAssembly()?.GetName().Name == "GetDocument.Insider";

    /// <summary>Call last before <c>Build()</c>: while generating, drops every hosted service except the web host itself.</summary>
    public static WebApplicationBuilder SkipBackgroundServicesWhenGeneratingOpenApi(this WebApplicationBuilder builder)
    {
        if (IsGenerating)
        {
            var background = builder.Services
                .Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.FullName != "Microsoft.AspNetCore.Hosting.GenericWebHostService")
                .ToList();
            background.ForEach(d => builder.Services.Remove(d));
            // Nothing is decrypted while writing the document, but the options are validated when the host starts.
            builder.Configuration["OrderFlow:Security:SecretsKey"] ??= Convert.ToBase64String(new byte[32]);
        }

        return builder;
    }
}
