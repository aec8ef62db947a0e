using System.Text.Json.Nodes;

namespace OrderFlow.Fulfillment.Webhooks;

/// <summary>Events after a cursor; pass <see cref="NextCursor"/> as <c>after</c> to read on (it stays put when nothing is new).</summary>
public sealed record EventFeedPage(IReadOnlyList<FeedEvent> Items, long NextCursor);

/// <summary>One status event in the feed: the same payload a webhook carries, with its feed position.</summary>
public sealed record FeedEvent(long Position, string EventId, Guid OrderId, string MerchantId, int Sequence, string Type, JsonNode? Payload, DateTime CreatedAt);
