namespace OrderFlow.SupplierSimulator.Sms;

/// <summary>Every text message the fake provider accepted, in arrival order, deduplicated by idempotency key; thread-safe.</summary>
internal sealed class SmsOutbox
{
    private readonly Lock _lock = new();
    private readonly List<SmsMessage> _messages = [];
    // Lookups by id and by idempotency key stay constant-time however many messages a long run has accepted.
    private readonly Dictionary<string, SmsMessage> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SmsMessage> _byKey = new(StringComparer.Ordinal);
    private int _next;

    /// <summary>Records a message, or returns the one already recorded under <paramref name="idempotencyKey"/> (Created false).</summary>
    public (SmsMessage Message, bool Created) Add(string? idempotencyKey, string to, string? from, string body, string? reference, DateTimeOffset now)
    {
        lock (_lock)
        {
            if (idempotencyKey is not null && _byKey.TryGetValue(idempotencyKey, out var existing))
            {
                return (existing, false);
            }

            var message = new SmsMessage($"SM{++_next:D8}", to, from, body, reference, idempotencyKey, now, "delivered");
            _messages.Add(message);
            _byId.Add(message.Id, message);
            if (idempotencyKey is not null)
            {
                _byKey.Add(idempotencyKey, message);
            }

            return (message, true);
        }
    }

    public List<SmsMessage> List(string? to, string? reference)
    {
        lock (_lock)
        {
            return _messages.Where(m => (to is null || m.To == to) && (reference is null || m.Reference == reference)).ToList();
        }
    }

    public SmsMessage? Find(string id)
    {
        lock (_lock)
        {
            return _byId.GetValueOrDefault(id);
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _messages.Clear();
            _byId.Clear();
            _byKey.Clear();
        }
    }
}

/// <summary>A text message as the fake provider keeps it.</summary>
internal sealed record SmsMessage(string Id, string To, string? From, string Body, string? Reference, string? IdempotencyKey, DateTimeOffset ReceivedAt, string Status);
