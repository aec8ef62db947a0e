namespace OrderFlow.SupplierSimulator.Suppliers;

/// <summary>Checks a placement the way a strict supplier API would, naming each bad field.</summary>
internal static class PlaceOrderValidator
{
    public const int MaxLines = 100;
    public const int MaxQuantity = 10_000;

    public static Dictionary<string, string[]> Validate(PlaceOrderRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        void Fail(string field, string message) => errors[field] = [message];

        if (string.IsNullOrWhiteSpace(request.Reference))
        {
            Fail("reference", "is required");
        }
        else if (request.Reference.Length > 100)
        {
            Fail("reference", "must be at most 100 characters");
        }

        if (string.IsNullOrWhiteSpace(request.Currency))
        {
            Fail("currency", "is required");
        }
        else if (request.Currency != Catalog.Currency)
        {
            Fail("currency", $"must be {Catalog.Currency}, the supplier's only currency");
        }

        if (request.ShipTo is not { } shipTo)
        {
            Fail("shipTo", "is required");
        }
        else
        {
            foreach (var (field, value) in new[]
                     {
                         ("name", shipTo.Name), ("line1", shipTo.Line1), ("city", shipTo.City), ("postalCode", shipTo.PostalCode),
                     })
            {
                if (string.IsNullOrWhiteSpace(value))
                {
                    Fail($"shipTo.{field}", "is required");
                }
            }

            if (shipTo.Country is not { Length: 2 } country || !country.All(char.IsAsciiLetterUpper))
            {
                Fail("shipTo.country", "must be an ISO 3166 alpha-2 code in upper case, e.g. DE");
            }
        }

        if (request.Lines is not { Count: > 0 } lines)
        {
            Fail("lines", "at least one line is required");
            return errors;
        }

        if (lines.Count > MaxLines)
        {
            Fail("lines", $"at most {MaxLines} lines");
        }

        var refs = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i] is not { } line)
            {
                Fail($"lines[{i}]", "must not be null");
                continue;
            }

            if (string.IsNullOrWhiteSpace(line.LineRef))
            {
                Fail($"lines[{i}].lineRef", "is required");
            }
            else if (!refs.Add(line.LineRef))
            {
                Fail($"lines[{i}].lineRef", "must be unique within the order");
            }

            if (string.IsNullOrWhiteSpace(line.Sku))
            {
                Fail($"lines[{i}].sku", "is required");
            }

            if (line.Quantity is < 1 or > MaxQuantity)
            {
                Fail($"lines[{i}].quantity", $"must be between 1 and {MaxQuantity}");
            }
        }

        return errors;
    }
}
