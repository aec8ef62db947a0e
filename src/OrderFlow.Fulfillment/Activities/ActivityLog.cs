using Microsoft.Extensions.Logging;

namespace OrderFlow.Fulfillment.Activities;

/// <summary>Log messages of the drop-ship activities (source-generated, structured).</summary>
internal static partial class ActivityLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: {LineCount} lines routed into {SupplierOrderCount} supplier orders")]
    public static partial void LogRouted(this ILogger logger, Guid orderId, int lineCount, int supplierOrderCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "Supplier order {Reference} placed with {SupplierId} as {SupplierOrderId}: {Status}")]
    public static partial void LogPlaced(this ILogger logger, string reference, string supplierId, string supplierOrderId, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Supplier {SupplierId} unreachable for {Reference} on attempt {Attempt}: {Error}")]
    public static partial void LogSupplierUnreachable(this ILogger logger, string supplierId, string reference, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Supplier {SupplierId} refused {Reference}: {Status} {Error}")]
    public static partial void LogSupplierRefused(this ILogger logger, string supplierId, string reference, int status, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId} held for review: {Reason}")]
    public static partial void LogHeld(this ILogger logger, Guid orderId, string reason);
}
