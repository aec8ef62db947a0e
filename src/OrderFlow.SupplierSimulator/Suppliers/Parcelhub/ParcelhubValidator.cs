namespace OrderFlow.SupplierSimulator.Suppliers.Parcelhub;

/// <summary>Parcelhub's own, stricter rules for a purchase order, naming each bad field by its snake_case path.</summary>
internal static class ParcelhubValidator
{
    public const int MaxItems = 50;
    public const int MaxQty = 999;
    public const int MaxReferenceLength = 64;

    public static Dictionary<string, string[]> Validate(PurchaseOrderRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        void Fail(string field, string message) => errors[field] = [message];

        if (string.IsNullOrWhiteSpace(request.ClientReference))
        {
            Fail("client_reference", "is required");
        }
        else if (request.ClientReference.Length > MaxReferenceLength)
        {
            Fail("client_reference", $"must be at most {MaxReferenceLength} characters");
        }

        if (request.Currency != Catalog.Currency)
        {
            Fail("currency", $"must be {Catalog.Currency}");
        }

        if (request.Recipient is not { } recipient)
        {
            Fail("recipient", "is required");
        }
        else
        {
            foreach (var (field, value) in new[] { ("full_name", recipient.FullName), ("town", recipient.Town), ("postcode", recipient.Postcode) })
            {
                if (string.IsNullOrWhiteSpace(value))
                {
                    Fail($"recipient.{field}", "is required");
                }
            }

            if (recipient.AddressLines is not { Count: >= 1 and <= 3 } lines || string.IsNullOrWhiteSpace(lines[0]))
            {
                Fail("recipient.address_lines", "one to three lines, the first not empty");
            }

            if (recipient.CountryCode is not { Length: 2 } country || !country.All(char.IsAsciiLetterUpper))
            {
                Fail("recipient.country_code", "must be an ISO 3166 alpha-2 code in upper case");
            }
        }

        if (request.Items is not { Count: > 0 and <= MaxItems } items)
        {
            Fail("items", $"one to {MaxItems} items");
            return errors;
        }

        var refs = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is not { } item)
            {
                Fail($"items[{i}]", "must not be null");
                continue;
            }

            if (string.IsNullOrWhiteSpace(item.ItemRef) || !refs.Add(item.ItemRef))
            {
                Fail($"items[{i}].item_ref", "is required and unique within the order");
            }

            if (string.IsNullOrWhiteSpace(item.Sku))
            {
                Fail($"items[{i}].sku", "is required");
            }

            if (item.Qty is < 1 or > MaxQty)
            {
                Fail($"items[{i}].qty", $"must be between 1 and {MaxQty}");
            }
        }

        return errors;
    }
}
