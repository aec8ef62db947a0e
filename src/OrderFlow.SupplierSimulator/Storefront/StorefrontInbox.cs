using System.Text.Json;

namespace OrderFlow.SupplierSimulator.Storefront;

/// <summary>Every webhook delivery each storefront received, in arrival order; thread-safe.</summary>
internal sealed class StorefrontInbox
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<WebhookDelivery>> _byMerchant = new(StringComparer.Ordinal);

    public void Add(string merchantId, WebhookDelivery delivery)
    {
        lock (_lock)
        {
            if (!_byMerchant.TryGetValue(merchantId, out var list))
            {
                _byMerchant[merchantId] = list = [];
            }

            list.Add(delivery);
        }
    }

    public List<WebhookDelivery> List(string merchantId, string? orderId)
    {
        lock (_lock)
        {
            return _byMerchant.TryGetValue(merchantId, out var list)
                ? list.Where(d => orderId is null || d.OrderId == orderId).ToList()
                : [];
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _byMerchant.Clear();
        }
    }
}

/// <summary>One received webhook; <see cref="ResponseStatus"/> is what the storefront answered (204, 401 or 500).</summary>
internal sealed record WebhookDelivery(
    DateTimeOffset ReceivedAt,
    string? WebhookId,
    string? WebhookTimestamp,
    bool SignatureValid,
    string? Type,
    string? OrderId,
    long? Sequence,
    JsonElement? Body,
    int ResponseStatus);
