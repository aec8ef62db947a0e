namespace OrderFlow.Fulfillment.Intake;

/// <summary>
/// An order as a merchant sends it in OrderFlow's standard intake format. Only these fields are read: anything else in the
/// payload (a status, a sequence, a supplier) is ignored, so intake cannot set what OrderFlow decides.
/// </summary>
public sealed record IntakeOrder(
    string? OrderId,
    DateTimeOffset? CreatedAt,
    string? Currency,
    IntakeCustomer? Customer,
    IntakeAddress? ShippingAddress,
    IReadOnlyList<IntakeLine>? Lines,
    IReadOnlyList<string>? Tags);

/// <summary>Who bought: notifications go to this e-mail address (and phone, for SMS).</summary>
public sealed record IntakeCustomer(string? Name, string? Email, string? Phone);

/// <summary>Where the parcels go. <see cref="Country"/> is an ISO 3166-1 alpha-2 code.</summary>
public sealed record IntakeAddress(string? Name, string? Line1, string? Line2, string? City, string? PostalCode, string? Region, string? Country);

/// <summary>One line of the order: a SKU, a quantity and the price the customer paid per unit.</summary>
public sealed record IntakeLine(string? LineId, string? Sku, string? Name, int? Quantity, decimal? UnitPrice);

/// <summary>A batch of recent orders a merchant sends to catch up missed webhooks; orders already received are skipped.</summary>
public sealed record IntakeBatch(IReadOnlyList<IntakeOrder>? Orders);
