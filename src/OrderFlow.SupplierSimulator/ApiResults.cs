using System.Text.Json;

namespace OrderFlow.SupplierSimulator;

/// <summary>Body reading and RFC 7807 answers shared by the simulator's APIs.</summary>
internal static class ApiResults
{
    /// <summary>Reads the body as JSON whatever its content type; a malformed body becomes a 400 naming the offending path.</summary>
    public static async Task<(T? Value, IResult? Error)> ReadJsonAsync<T>(HttpContext http) where T : class
    {
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(http.Request.Body, JsonSerializerOptions.Web, http.RequestAborted);
            return value is null ? (null, Invalid("body", "a JSON object is required")) : (value, null);
        }
        catch (JsonException e)
        {
            var field = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "body" : e.Path.TrimStart('$', '.');
            return (null, Invalid(field, "is not valid JSON for this field"));
        }
    }

    public static IResult Invalid(string field, string message) =>
        Invalid(new Dictionary<string, string[]> { [field] = [message] });

    public static IResult Invalid(IDictionary<string, string[]> errors) =>
        Results.ValidationProblem(errors, detail: string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")));

    public static IResult Problem(int status, string title, string? detail = null, IDictionary<string, object?>? extensions = null) =>
        Results.Problem(detail: detail, statusCode: status, title: title, extensions: extensions);
}
