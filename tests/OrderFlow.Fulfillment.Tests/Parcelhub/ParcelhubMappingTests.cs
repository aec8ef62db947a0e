using OrderFlow.Fulfillment.Suppliers.Parcelhub;

namespace OrderFlow.Fulfillment.Tests.Parcelhub;

/// <summary>Parcelhub's vocabulary onto OrderFlow's, including the codes the simulator never produces.</summary>
public sealed class ParcelhubMappingTests
{
    [Theory]
    [InlineData("received", "pending")]
    [InlineData("confirmed", "accepted")]
    [InlineData("declined", "rejected")]
    [InlineData("dispatched", "shipped")]
    [InlineData("completed", "delivered")]
    [InlineData("voided", "cancelled")]
    [InlineData("on_hold", "pending")]
    public void OrderStatus_ParcelhubState_MapsOntoOrderFlowStatus(string state, string expected) =>
        Assert.Equal(expected, ParcelhubMapping.OrderStatus(state));

    [Theory]
    [InlineData("NO_STOCK", "out_of_stock")]
    [InlineData("SKU_NOT_LISTED", "ineligible_product")]
    [InlineData("ADDRESS_INVALID", "bad_address")]
    [InlineData("ZONE_NOT_SERVED", "undeliverable")]
    [InlineData("REFUSED", "other")]
    [InlineData(null, "other")]
    public void RejectionReason_DeclineCode_MapsOntoOrderFlowReason(string? code, string expected) =>
        Assert.Equal(expected, ParcelhubMapping.RejectionReason(code));

    [Theory]
    [InlineData("MAN", "InfoReceived")]
    [InlineData("DEP", "InTransit")]
    [InlineData("ARR", "InTransit")]
    [InlineData("OFD", "OutForDelivery")]
    [InlineData("NDA", "AttemptFail")]
    [InlineData("PUP", "AvailableForPickup")]
    [InlineData("DLV", "Delivered")]
    [InlineData("RTS", "Exception")]
    [InlineData("XYZ", null)]
    public void ParcelStatus_CheckpointCode_MapsOntoTaxonomy(string code, string? expected) =>
        Assert.Equal(expected, ParcelhubMapping.ParcelStatus(code));

    [Theory]
    [InlineData("EUR", 1234, 12.34)]
    [InlineData("JPY", 1234, 1234)]
    [InlineData("KWD", 1234, 1.234)]
    public void CatalogItem_MinorUnits_ConvertedByCurrencyExponent(string currency, long minor, double expected) =>
        Assert.Equal((decimal)expected, ParcelhubMapping.ToCatalogItem(new ParcelhubProduct("SKU", "Thing", 1, minor, 0, currency)).UnitPrice);

    [Fact]
    public void ToOrderFlow_DeclinedItemAndUnknownCheckpoint_LineRejectedAndUnknownScanIgnored()
    {
        var at = new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
        var order = new ParcelhubPurchaseOrder("parcelhub-000001", "OF-1", "dispatched", at, at, new ParcelhubDecline("NO_STOCK", "2 of 2"),
            [new ParcelhubItem("1", "LAMP-DESK", 1, "confirmed", null), new ParcelhubItem("2", "MUG-BLUE", 1, "declined", "NO_STOCK")],
            [new ParcelhubConsignment("c1", "DPD", "DPD123", null, ["1"], at.AddDays(2),
                [new ParcelhubCheckpoint("k2", "DEP", at.AddHours(2), "Poznań, PL", "Departed"),
                 new ParcelhubCheckpoint("k1", "MAN", at.AddHours(1), "Poznań, PL", "Manifested"),
                 new ParcelhubCheckpoint("k3", "CUSTOMS-NOTE", at.AddHours(3), null, "Paperwork")])]);

        var dto = ParcelhubMapping.ToOrderFlow(order);

        Assert.Equal("shipped", dto.Status);
        Assert.Equal(["accepted", "rejected"], dto.Lines.Select(l => l.Status));
        Assert.Equal("out_of_stock", dto.Lines[1].RejectionReason);
        Assert.Equal(["2"], dto.Rejection!.LineRefs!);
        var shipment = Assert.Single(dto.Shipments!);
        Assert.Equal("InTransit", shipment.Status);
        Assert.Equal(["k1", "k2"], shipment.Events!.Select(e => e.Id));
    }
}
