using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace OrderFlow.Fulfillment.Notifications;

/// <summary>A merchant's notification switches: whether its customers get SMS (when ops configured a provider).</summary>
public sealed class NotificationSettings(NpgsqlDataSource dataSource, IOptions<SmsOptions> sms)
{
    /// <summary>Null when the merchant does not exist.</summary>
    public async Task<NotificationSettingsView?> GetAsync(string merchantId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var enabled = await connection.QuerySingleOrDefaultAsync<bool?>(new CommandDefinition(
            "SELECT sms_enabled FROM fulfillment.merchants WHERE id = @merchantId", new { merchantId }, cancellationToken: ct));
        return enabled is null ? null : new NotificationSettingsView(enabled.Value, sms.Value.Enabled);
    }

    /// <summary>Null when the merchant does not exist.</summary>
    public async Task<NotificationSettingsView?> SetSmsAsync(string merchantId, bool enabled, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var updated = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE fulfillment.merchants SET sms_enabled = @enabled WHERE id = @merchantId", new { merchantId, enabled }, cancellationToken: ct));
        return updated == 0 ? null : new NotificationSettingsView(enabled, sms.Value.Enabled);
    }
}

/// <summary>
/// <see cref="SmsEnabled"/>: the merchant wants SMS; <see cref="SmsAvailable"/>: ops configured a provider
/// (<c>OrderFlow:Sms:Enabled</c>). Customers get SMS only when both hold and the order has a phone number.
/// </summary>
public sealed record NotificationSettingsView(bool SmsEnabled, bool SmsAvailable);
