using Microsoft.AspNetCore.Http.HttpResults;

namespace OrderFlow.Server.Apis;

/// <summary>Reads raw request bodies with a size limit (signatures are verified over the exact bytes).</summary>
internal static class RequestBody
{
    /// <summary>The raw body, or null when it is longer than <paramref name="limit"/> bytes.</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, int limit, CancellationToken ct)
    {
        using var buffer = new MemoryStream(request.ContentLength is { } length ? (int)Math.Min(length, limit) : 4096);
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>Headers (case-insensitive) and the raw body, as intake and callbacks verify them.</summary>
    public static OrderFlow.Fulfillment.Intake.IntakeRequest ToIntakeRequest(HttpRequest request, byte[] body) =>
        new(request.Headers.ToDictionary(h => h.Key, h => (string?)h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body);

    public static ProblemHttpResult TooLarge(int limit) =>
        TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The body is too large.", detail: $"Order webhooks may be at most {limit} bytes.");
}
