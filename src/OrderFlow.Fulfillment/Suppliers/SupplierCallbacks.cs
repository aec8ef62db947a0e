using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OrderFlow.Fulfillment.Intake;
using OrderFlow.Fulfillment.Security;
using OrderFlow.Fulfillment.Tracking;
using OrderFlow.Fulfillment.Webhooks;

namespace OrderFlow.Fulfillment.Suppliers;

/// <summary>
/// A supplier telling us one of its orders changed (accepted, rejected, shipped …), instead of waiting for the next
/// tracking sweep. The callback is signed with Standard Webhooks using the supplier's callback secret; its body only
/// names the order: the current state is then read from the supplier's API, so a forged or stale body changes nothing.
/// </summary>
public sealed class SupplierCallbacks(NpgsqlDataSource dataSource, IServiceScopeFactory scopes, ISecretProtector protector, TimeProvider clock)
{
    public async Task<SupplierCallbackResult> ReceiveAsync(string supplierId, IntakeRequest request, CancellationToken ct)
    {
        string? secret;
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        {
            secret = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                "SELECT callback_secret FROM fulfillment.suppliers WHERE id = @supplierId AND active", new { supplierId }, cancellationToken: ct));
        }

        var verification = StandardWebhooks.Verify(secret is null ? [] : [protector.Unprotect(secret, SecretPurposes.SupplierCallbackSecret)], request.Header(StandardWebhooks.IdHeader),
            request.Header(StandardWebhooks.TimestampHeader), request.Header(StandardWebhooks.SignatureHeader), request.Body.Span, clock.GetUtcNow());
        if (!verification.IsValid)
        {
            return SupplierCallbackResult.Unauthorized;
        }

        string? supplierOrderId = null;
        try
        {
            using var body = System.Text.Json.JsonDocument.Parse(request.Body);
            if (body.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                && body.RootElement.TryGetProperty("supplierOrderId", out var id) && id.ValueKind == System.Text.Json.JsonValueKind.String)
            {
                supplierOrderId = id.GetString();
            }
        }
        catch (System.Text.Json.JsonException)
        {
        }

        if (string.IsNullOrWhiteSpace(supplierOrderId))
        {
            return SupplierCallbackResult.Invalid;
        }

        using var scope = scopes.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<TrackingPollJob>().RefreshAsync(supplierId, supplierOrderId, ct)
            ? SupplierCallbackResult.Applied
            : SupplierCallbackResult.UnknownOrder;
    }
}

/// <summary>What a supplier callback led to.</summary>
public enum SupplierCallbackResult
{
    Applied,
    UnknownOrder,
    Unauthorized,
    Invalid,
}
