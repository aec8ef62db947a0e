using OrderFlow.Fulfillment.Suppliers;

namespace OrderFlow.Fulfillment.Tests;

/// <summary>The rules a supplier's answer must pass before OrderFlow uses or stores it, one broken at a time.</summary>
public sealed class SupplierAnswersTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    private static SupplierOrderDto Order(Func<ShipmentDto, ShipmentDto>? shipment = null, Func<SupplierLineDto, SupplierLineDto>? line = null)
    {
        var parcel = new ShipmentDto("shp-1", "DHL", "JD0001", "https://track.example/JD0001", ["L1"], "InTransit", At.AddDays(2),
            [new TrackingEventDto("ev-1", "InTransit", At, "Leipzig", "Departed hub")]);
        var orderLine = new SupplierLineDto("L1", "MUG-BLUE", 2, "accepted", null);
        return new SupplierOrderDto("so-1", "ref-1", "shipped", At, At, null, [line is null ? orderLine : line(orderLine)], [shipment is null ? parcel : shipment(parcel)]);
    }

    private static string Long(int length) => new('x', length);

    [Fact]
    public void ProblemWith_WellFormedOrder_None() => Assert.Null(SupplierAnswers.ProblemWith(Order()));

    public static TheoryData<string, SupplierOrderDto?> BrokenOrders() => new()
    {
        { "the answer is empty", null },
        { "id is missing", Order() with { Id = null! } },
        { "id is longer", Order() with { Id = Long(201) } },
        { "reference is missing", Order() with { Reference = "" } },
        { "status is missing", Order() with { Status = null! } },
        { "status contains control characters", Order() with { Status = "ship\0ped" } },
        { "lines is missing", Order() with { Lines = null! } },
        { "lines is missing or has more than", Order() with { Lines = [.. Enumerable.Repeat(new SupplierLineDto("L1", "S", 1, "accepted", null), SupplierAnswers.MaxLines + 1)] } },
        { "lines[0] is empty", Order() with { Lines = [null!] } },
        { "lines[0].quantity", Order(line: l => l with { Quantity = -5 }) },
        { "lines[0].quantity", Order(line: l => l with { Quantity = int.MaxValue }) },
        { "lines[0].lineRef is longer", Order(line: l => l with { LineRef = Long(101) }) },
        { "lines[0].rejectionReason contains control", Order(line: l => l with { RejectionReason = "no\u001b[2Jstock" }) },
        { "rejection.reason is missing", Order() with { Rejection = new RejectionDto(null!, null, null) } },
        { "rejection.message is longer", Order() with { Rejection = new RejectionDto("other", Long(1_001), null) } },
        { "shipments has more than", Order() with { Shipments = [.. Enumerable.Repeat(Order().Shipments![0], SupplierAnswers.MaxShipments + 1)] } },
        { "shipments[0].trackingUrl is not an http or https URL", Order(s => s with { TrackingUrl = "javascript:alert(document.cookie)" }) },
        { "shipments[0].trackingUrl is not an http or https URL", Order(s => s with { TrackingUrl = "data:text/html,<script>alert(1)</script>" }) },
        { "shipments[0].trackingUrl is not an http or https URL", Order(s => s with { TrackingUrl = "/relative/path" }) },
        { "shipments[0].trackingUrl is not an http or https URL", Order(s => s with { TrackingUrl = "https://user:pw@track.example/" }) },
        { "shipments[0].trackingUrl is longer", Order(s => s with { TrackingUrl = "https://track.example/" + Long(2_000) }) },
        { "shipments[0].carrier is longer", Order(s => s with { Carrier = Long(101) }) },
        { "shipments[0].carrier is missing", Order(s => s with { Carrier = " " }) },
        { "shipments[0].trackingNumber is longer", Order(s => s with { TrackingNumber = Long(1_000_000) }) },
        { "shipments[0].trackingNumber contains control", Order(s => s with { TrackingNumber = "JD\r\nSet-Cookie: x" }) },
        { "shipments[0].trackingNumber contains control", Order(s => s with { TrackingNumber = "JD\ud800" }) },
        { "shipments[0].lineRefs is missing", Order(s => s with { LineRefs = null! }) },
        { "shipments[0].lineRefs[0] is missing", Order(s => s with { LineRefs = [""] }) },
        { "shipments[0].events has more than", Order(s => s with { Events = [.. Enumerable.Repeat(s.Events![0], SupplierAnswers.MaxEvents + 1)] }) },
        { "shipments[0].events[0] is empty", Order(s => s with { Events = [null!] }) },
        { "shipments[0].events[0].message is longer", Order(s => s with { Events = [s.Events![0] with { Message = Long(2_001) }] }) },
        { "shipments[0].events[0].id is missing", Order(s => s with { Events = [s.Events![0] with { Id = null! }] }) },
    };

    [Theory]
    [MemberData(nameof(BrokenOrders))]
    public void ProblemWith_OneRuleBroken_NamesFieldAndRule(string expected, SupplierOrderDto? order)
    {
        var problem = SupplierAnswers.ProblemWith(order);

        Assert.NotNull(problem);
        Assert.StartsWith(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ProblemWith_HugeValue_NotQuotedInProblem()
    {
        var problem = SupplierAnswers.ProblemWith(Order(s => s with { Carrier = "<script>" + Long(500) }));

        Assert.DoesNotContain("<script>", problem);
    }

    [Fact]
    public void ProblemWith_UnknownStatusesAndOptionalFieldsLeftOut_None() =>
        // Unknown statuses map onto safe defaults where they are used; they are not a reason to drop news.
        Assert.Null(SupplierAnswers.ProblemWith(Order(s => s with { Status = "teleported", TrackingUrl = null, Events = null, EstimatedDelivery = null }) with { Status = "on_hold" }));

    public static TheoryData<string, CatalogItem?> BrokenItems() => new()
    {
        { "the item is empty", null },
        { "sku is missing", new CatalogItem("", "Mug", 1, 1m, 0m, "EUR") },
        { "sku is longer", new CatalogItem(Long(201), "Mug", 1, 1m, 0m, "EUR") },
        { "name contains control", new CatalogItem("MUG", "Mu\0g", 1, 1m, 0m, "EUR") },
        { "available is not between", new CatalogItem("MUG", "Mug", -1, 1m, 0m, "EUR") },
        { "a price is not between", new CatalogItem("MUG", "Mug", 1, -0.01m, 0m, "EUR") },
        { "a price is not between", new CatalogItem("MUG", "Mug", 1, 1m, 1e12m, "EUR") },
        { "currency is not", new CatalogItem("MUG", "Mug", 1, 1m, 0m, "euro") },
        { "currency is not", new CatalogItem("MUG", "Mug", 1, 1m, 0m, null!) },
    };

    [Theory]
    [MemberData(nameof(BrokenItems))]
    public void ProblemWith_CatalogueItemRuleBroken_NamesFieldAndRule(string expected, CatalogItem? item)
    {
        Assert.Null(SupplierAnswers.ProblemWith(new CatalogItem("MUG", "Mug", 1, 1m, 0m, "EUR")));
        Assert.StartsWith(expected, SupplierAnswers.ProblemWith(item), StringComparison.Ordinal);
    }
}
