namespace OrderFlow.SupplierSimulator;

/// <summary>The fake SMS provider's account, bound from <c>Simulator:Sms</c>.</summary>
internal sealed class SmsAccountOptions
{
    public const string DefaultToken = "sim-sms-token";

    public string Token { get; set; } = DefaultToken;
}
