namespace OrderFlow.Fulfillment.Security;

/// <summary>The purposes (authenticated data) of the encrypted columns; one per column, so ciphertexts cannot be swapped between them.</summary>
public static class SecretPurposes
{
    public const string MerchantIntakeSecret = "fulfillment.merchant_secrets.secret";
    public const string SubscriptionSecret = "fulfillment.webhook_subscriptions.secret";
    public const string SupplierApiKey = "fulfillment.suppliers.api_key";
    public const string SupplierCallbackSecret = "fulfillment.suppliers.callback_secret";
}
