namespace OrderFlow.Chaos;

/// <summary>What a scenario measured; <see cref="Violations"/> lists every invariant that did not hold.</summary>
internal sealed class Figures
{
    public int Acknowledged { get; set; }
    public int Lost { get; set; }
    public int NotTerminal { get; set; }
    public long Partial { get; set; }
    public int Delivered { get; set; }
    public int OrderIdMismatch { get; set; }
    public int SupplierOrders { get; set; }
    public int DuplicatePlacements { get; set; }
    public int PlacementRetriesWithSameKey { get; set; }
    public int UnknownToUs { get; set; }
    public int StatusEvents { get; set; }
    public int WebhookRedeliveries { get; set; }
    public int MissingStatusEvents { get; set; }
    public int DuplicateStatusEvents { get; set; }
    public int OutOfSequence { get; set; }
    public long DuplicateBursts { get; set; }
    public long OpenIncidents { get; set; }
    public int EmailsSent { get; set; }
    public int EmailsMissing { get; set; }

    public IEnumerable<string> Violations()
    {
        if (Lost > 0) yield return $"{Lost} acknowledged orders lost";
        if (Partial > 0) yield return $"{Partial} orders only partly written (no lines, received event or workflow)";
        if (NotTerminal > 0) yield return $"{NotTerminal} orders not delivered or cancelled";
        if (OrderIdMismatch > 0) yield return $"{OrderIdMismatch} orders acknowledged with another id";
        if (DuplicatePlacements > 0) yield return $"{DuplicatePlacements} duplicate supplier placements";
        if (UnknownToUs > 0) yield return $"{UnknownToUs} supplier orders we do not know about";
        if (MissingStatusEvents > 0) yield return $"{MissingStatusEvents} status events never reached the storefront";
        if (DuplicateStatusEvents > 0) yield return $"{DuplicateStatusEvents} duplicate status events per (order, status)";
        if (OutOfSequence > 0) yield return $"{OutOfSequence} status events out of sequence";
        if (DuplicateBursts > 0) yield return $"{DuplicateBursts} duplicate bursts in the journal";
        if (OpenIncidents > 0) yield return $"{OpenIncidents} open incidents";
        if (EmailsMissing > 0) yield return $"{EmailsMissing} e-mails marked sent but not written";
    }

    public override string ToString() =>
        $"{Acknowledged} acknowledged, {Lost} lost, {Partial} partial, {Delivered} delivered, {NotTerminal} not terminal; " +
        $"{SupplierOrders} supplier orders, {DuplicatePlacements} duplicate placements, {PlacementRetriesWithSameKey} placement retries reused the key; " +
        $"{StatusEvents} status events, {MissingStatusEvents} missing, {DuplicateStatusEvents} duplicate, {OutOfSequence} out of sequence " +
        $"({WebhookRedeliveries} redeliveries deduplicated by event id); {DuplicateBursts} duplicate bursts; {EmailsSent} e-mails, {EmailsMissing} missing";
}
